import { renderOpenApi, schemaContent } from './schema-document';
import { type EventShape, mergeEvents } from './schema-shape';

export const DISCOVERED_REGISTRY = 'discovered-schemas';
export const OPEN_API_3 = 'OpenApi3';

/** AWS names a discovered schema `<source>@<detail-type>`. */
export function discoveredSchemaName(event: Pick<EventShape, 'source' | 'detailType'>): string {
  return `${event.source}@${event.detailType}`;
}

export function registryArn(region: string, accountId: string, registry = DISCOVERED_REGISTRY): string {
  return `arn:aws:schemas:${region}:${accountId}:registry/${registry}`;
}

export function schemaArn(region: string, accountId: string, name: string): string {
  return `arn:aws:schemas:${region}:${accountId}:schema/${DISCOVERED_REGISTRY}/${name}`;
}

export interface SchemaVersionState {
  version: string;
  content: string;
  created: Date;
}

export interface SchemaState {
  name: string;
  arn: string;
  region: string;
  /** Every event discovered under this name, merged: what the next event is compared with. */
  shape: EventShape;
  versions: SchemaVersionState[];
  lastModified: Date;
}

/** The `discovered-schemas` registry of each region: schemas by name, each with its versions. */
export class SchemaStore {
  private readonly schemas = new Map<string, SchemaState>();

  get(region: string, name: string): SchemaState | undefined {
    return this.schemas.get(key(region, name));
  }

  list(region: string): SchemaState[] {
    return [...this.schemas.values()].filter((schema) => schema.region === region);
  }

  delete(region: string, name: string): boolean {
    return this.schemas.delete(key(region, name));
  }

  /**
   * Merges the event into its schema; a new version only when the merged document differs from the latest, so the
   * same shape again changes nothing and a field seen once stays in every later version.
   */
  record(region: string, accountId: string, event: EventShape, now = new Date()): SchemaState {
    const name = discoveredSchemaName(event);
    const existing = this.get(region, name);
    const shape = existing ? mergeEvents(existing.shape, event) : event;
    // The same shape again: nothing to render, compare or add.
    if (existing && shape === existing.shape) return existing;
    const content = schemaContent(renderOpenApi(shape));
    if (existing) {
      existing.shape = shape;
      if (existing.versions.at(-1)?.content === content) return existing;
      const version = String(Number(existing.versions.at(-1)?.version ?? 0) + 1);
      existing.versions.push({ version, content, created: now });
      existing.lastModified = now;
      return existing;
    }
    const schema: SchemaState = {
      name,
      arn: schemaArn(region, accountId, name),
      region,
      shape,
      versions: [{ version: '1', content, created: now }],
      lastModified: now,
    };
    this.schemas.set(key(region, name), schema);
    return schema;
  }

  clear(): void {
    this.schemas.clear();
  }
}

function key(region: string, name: string): string {
  return `${region}\n${name}`;
}
