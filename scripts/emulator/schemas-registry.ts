import type {
  DescribeRegistryResponse,
  DescribeSchemaResponse,
  ExportSchemaResponse,
  GetDiscoveredSchemaResponse,
  ListRegistriesRequest,
  ListRegistriesResponse,
  ListSchemasRequest,
  ListSchemasResponse,
  ListSchemaVersionsRequest,
  ListSchemaVersionsResponse,
  SearchSchemasRequest,
  SearchSchemasResponse,
} from '@aws-sdk/client-schemas';
import { ServiceError } from './errors';
import { renderOpenApi, schemaContent, toJsonSchemaDraft4 } from './schema-document';
import { type EventShape, inferObject, inferShape, mergeEvents } from './schema-shape';
import {
  DISCOVERED_REGISTRY,
  OPEN_API_3,
  registryArn,
  type SchemaState,
  type SchemaVersionState,
} from './schema-store';
import { type OperationContext, type OperationHandler, paginate } from './service';

const BAD_REQUEST = 'BadRequestException';
const NOT_FOUND = 'NotFoundException';
const JSON_SCHEMA_DRAFT_4 = 'JSONSchemaDraft4';

// Only the registry discovery writes to is served: no custom registries, and not AWS's own aws.events.
function requireRegistry(name: string): void {
  if (name !== DISCOVERED_REGISTRY) throw new ServiceError(NOT_FOUND, `Registry ${name} does not exist.`);
}

function requireSchema({ region, state }: OperationContext, registry: string, name: string): SchemaState {
  requireRegistry(registry);
  const schema = state.schemas.get(region, name);
  if (!schema) throw new ServiceError(NOT_FOUND, `Schema ${name} does not exist in registry ${registry}.`);
  return schema;
}

function requireVersion(schema: SchemaState, version: string | undefined): SchemaVersionState {
  const found = version === undefined ? schema.versions.at(-1) : schema.versions.find((v) => v.version === version);
  if (!found) throw new ServiceError(NOT_FOUND, `Version ${version} of schema ${schema.name} does not exist.`);
  return found;
}

const invalidToken = () => new ServiceError(BAD_REQUEST, 'Invalid NextToken.');

function listRegistries(input: Record<string, unknown>, { region, state }: OperationContext): ListRegistriesResponse {
  const request = input as ListRegistriesRequest;
  // The model documents the values as "Local or AWS"; the case is not pinned down, so neither is it here.
  const scope = request.Scope?.toUpperCase();
  if (scope !== undefined && scope !== 'LOCAL' && scope !== 'AWS') {
    throw new ServiceError(BAD_REQUEST, `Scope must be Local or AWS, got ${request.Scope}.`);
  }
  const names = scope === 'AWS' ? [] : [DISCOVERED_REGISTRY];
  const matching = names.filter((name) => name.startsWith(request.RegistryNamePrefix ?? ''));
  const page = paginate(matching, request.Limit, request.NextToken, invalidToken);
  return {
    Registries: page.items.map((name) => ({
      RegistryName: name,
      RegistryArn: registryArn(region, state.accountId, name),
      Tags: {},
    })),
    NextToken: page.nextToken,
  };
}

function describeRegistry(
  input: Record<string, unknown>,
  { region, state }: OperationContext,
): DescribeRegistryResponse {
  const name = input.RegistryName as string;
  requireRegistry(name);
  return { RegistryName: name, RegistryArn: registryArn(region, state.accountId, name), Tags: {} };
}

function byName(schemas: SchemaState[]): SchemaState[] {
  return schemas.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// The model declares no NotFoundException for ListSchemas: another registry simply holds nothing here.
function listSchemas(input: Record<string, unknown>, context: OperationContext): ListSchemasResponse {
  const request = input as unknown as ListSchemasRequest;
  const schemas = request.RegistryName === DISCOVERED_REGISTRY ? context.state.schemas.list(context.region) : [];
  const matching = byName(schemas.filter((schema) => schema.name.startsWith(request.SchemaNamePrefix ?? '')));
  const page = paginate(matching, request.Limit, request.NextToken, invalidToken);
  return {
    Schemas: page.items.map((schema) => ({
      SchemaName: schema.name,
      SchemaArn: schema.arn,
      LastModified: schema.lastModified,
      VersionCount: schema.versions.length,
      Tags: {},
    })),
    NextToken: page.nextToken,
  };
}

function describeSchema(input: Record<string, unknown>, context: OperationContext): DescribeSchemaResponse {
  const schema = requireSchema(context, input.RegistryName as string, input.SchemaName as string);
  const version = requireVersion(schema, input.SchemaVersion as string | undefined);
  return {
    SchemaName: schema.name,
    SchemaArn: schema.arn,
    SchemaVersion: version.version,
    Type: OPEN_API_3,
    Content: version.content,
    LastModified: schema.lastModified,
    VersionCreatedDate: version.created,
    Tags: {},
  };
}

function listSchemaVersions(input: Record<string, unknown>, context: OperationContext): ListSchemaVersionsResponse {
  const request = input as unknown as ListSchemaVersionsRequest;
  const schema = requireSchema(context, request.RegistryName as string, request.SchemaName as string);
  const page = paginate(schema.versions, request.Limit, request.NextToken, invalidToken);
  return {
    SchemaVersions: page.items.map((version) => ({
      SchemaName: schema.name,
      SchemaArn: schema.arn,
      SchemaVersion: version.version,
      Type: OPEN_API_3,
    })),
    NextToken: page.nextToken,
  };
}

function exportSchema(input: Record<string, unknown>, context: OperationContext): ExportSchemaResponse {
  if (input.Type !== JSON_SCHEMA_DRAFT_4) {
    throw new ServiceError(BAD_REQUEST, `Schemas export only to ${JSON_SCHEMA_DRAFT_4}, not ${String(input.Type)}.`);
  }
  const schema = requireSchema(context, input.RegistryName as string, input.SchemaName as string);
  const version = requireVersion(schema, input.SchemaVersion as string | undefined);
  return {
    SchemaName: schema.name,
    SchemaArn: schema.arn,
    SchemaVersion: version.version,
    Type: JSON_SCHEMA_DRAFT_4,
    Content: schemaContent(toJsonSchemaDraft4(JSON.parse(version.content))),
  };
}

function deleteSchema(input: Record<string, unknown>, context: OperationContext): undefined {
  const schema = requireSchema(context, input.RegistryName as string, input.SchemaName as string);
  context.state.schemas.delete(context.region, schema.name);
  return undefined;
}

/** Keywords match schema names, case-insensitively; every version is listed, as the model's summary has room for. */
function searchSchemas(input: Record<string, unknown>, context: OperationContext): SearchSchemasResponse {
  const request = input as unknown as SearchSchemasRequest;
  const keywords = (request.Keywords as string).toLowerCase();
  const schemas = request.RegistryName === DISCOVERED_REGISTRY ? context.state.schemas.list(context.region) : [];
  const matching = byName(schemas.filter((schema) => schema.name.toLowerCase().includes(keywords)));
  const page = paginate(matching, request.Limit, request.NextToken, invalidToken);
  return {
    Schemas: page.items.map((schema) => ({
      RegistryName: DISCOVERED_REGISTRY,
      SchemaName: schema.name,
      SchemaArn: schema.arn,
      SchemaVersions: schema.versions.map((version) => ({
        SchemaVersion: version.version,
        CreatedDate: version.created,
        Type: OPEN_API_3,
      })),
    })),
    NextToken: page.nextToken,
  };
}

/** One event of GetDiscoveredSchema's input: a whole EventBridge event, envelope and detail, as JSON text. */
function eventShape(text: string, index: number): EventShape {
  const bad = (why: string) => new ServiceError(BAD_REQUEST, `Events[${index}] ${why}.`);
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw bad('is not valid JSON');
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw bad('is not a JSON object');
  const { source, 'detail-type': detailType, detail, resources } = event as Record<string, unknown>;
  if (typeof source !== 'string' || typeof detailType !== 'string') {
    throw bad('needs "source" and "detail-type" strings');
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw bad('needs a "detail" object');
  return {
    source,
    detailType,
    detail: inferObject(detail as Record<string, unknown>),
    resources: inferShape(Array.isArray(resources) ? resources : []),
  };
}

/** Infers one schema from up to ten events of one source and detail-type; stores nothing. */
function getDiscoveredSchema(input: Record<string, unknown>): GetDiscoveredSchemaResponse {
  const shapes = (input.Events as string[]).map(eventShape);
  const [first, ...rest] = shapes as [EventShape, ...EventShape[]];
  const other = rest.find((shape) => shape.source !== first.source || shape.detailType !== first.detailType);
  if (other) {
    throw new ServiceError(
      BAD_REQUEST,
      `Events must share one source and detail-type: ${first.source}/${first.detailType} and ${other.source}/${other.detailType}.`,
    );
  }
  const document = renderOpenApi(rest.reduce(mergeEvents, first));
  return { Content: schemaContent(input.Type === JSON_SCHEMA_DRAFT_4 ? toJsonSchemaDraft4(document) : document) };
}

export const schemasRegistryOperations: Record<string, OperationHandler> = {
  ListRegistries: listRegistries,
  DescribeRegistry: describeRegistry,
  ListSchemas: listSchemas,
  DescribeSchema: describeSchema,
  ListSchemaVersions: listSchemaVersions,
  ExportSchema: exportSchema,
  DeleteSchema: deleteSchema,
  SearchSchemas: searchSchemas,
  GetDiscoveredSchema: getDiscoveredSchema,
};
