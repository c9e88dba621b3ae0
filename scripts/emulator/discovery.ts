import { inferObject, inferShape } from './schema-shape';
import type { SchemaStore } from './schema-store';
import type { DiscovererState, PutEventsEntry } from './state';

/** What discovery reads and writes of the emulator's state. */
export interface DiscoveryContext {
  readonly accountId: string;
  readonly discoverers: Map<string, DiscovererState>;
  readonly schemas: SchemaStore;
}

/**
 * Infers the schemas of accepted events off the request path: PutEvents only queues the event (when its bus has a
 * started discoverer at that moment), and one setImmediate per burst infers and merges the whole queue.
 */
export class DiscoveryQueue {
  private pending: PutEventsEntry[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private waiters: (() => void)[] = [];

  constructor(private readonly context: DiscoveryContext) {}

  /**
   * Every event the emulator accepts comes from its one account, so a discoverer's CrossAccount setting (which
   * only decides whether events from other accounts are discovered) never filters anything here.
   */
  accept(busArn: string, event: PutEventsEntry): void {
    if (!this.discovering(busArn)) return;
    this.pending.push(event);
    this.scheduled ??= setImmediate(() => this.drain());
  }

  /** Resolves once every event accepted so far has been discovered. */
  settled(): Promise<void> {
    if (this.scheduled === undefined) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  clear(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.pending = [];
    this.release();
  }

  private discovering(busArn: string): boolean {
    for (const discoverer of this.context.discoverers.values()) {
      if (discoverer.busArn === busArn && discoverer.state === 'STARTED') return true;
    }
    return false;
  }

  private drain(): void {
    const events = this.pending;
    this.pending = [];
    this.scheduled = undefined;
    const { accountId, schemas } = this.context;
    for (const event of events) {
      const shape = {
        source: event.Source,
        detailType: event.DetailType,
        detail: inferObject(JSON.parse(event.Detail) as Record<string, unknown>),
        resources: inferShape(event.Resources),
      };
      schemas.record(event.Region, accountId, shape);
    }
    this.release();
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
