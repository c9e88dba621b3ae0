import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { CreateEventBusCommand, EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateDiscovererCommand, ListSchemasCommand, SchemasClient } from '@aws-sdk/client-schemas';
import { inferObject, inferShape } from '../emulator/schema-shape';
import { SchemaStore } from '../emulator/schema-store';
import { sampleWorkflowJob } from '../lib/github-event';
import { median, ratio, round } from './stats';

export type DiscoveryReport = {
  /** PutEvents on each bus. */
  puts: number;
  /** Median PutEvents round trip (real SDK client, real HTTP) on a bus without a discoverer. */
  plainMs: number;
  /** The same on a bus whose discoverer is STARTED: what discovery adds to the answer. */
  discoveringMs: number;
  ratio: number | null;
  /** Off the request path: one sample event parsed, inferred and merged into its schema (already holding its shape). */
  inferMicros: number;
  /** Schemas discovered by the end (1: every put merged into github.com@workflow_job, version 1). */
  schemas: number;
  versions: number;
};

const region = 'us-east-1';

/** The in-process cost of discovering one event, timed over many so the clock's resolution does not matter. */
const timeInference = (detail: string, count: number): number => {
  const store = new SchemaStore();
  const discover = () =>
    store.record(region, '123456789012', {
      source: 'github.com',
      detailType: 'workflow_job',
      detail: inferObject(JSON.parse(detail) as Record<string, unknown>),
      resources: inferShape([]),
    });
  for (let index = 0; index < count / 10; index += 1) discover();
  const start = performance.now();
  for (let index = 0; index < count; index += 1) discover();
  return ((performance.now() - start) * 1000) / count;
};

/**
 * The emulator as `npm run emulator` runs it, in a process of its own: in this one, the client would wait for the
 * inference that runs just after each answer, and the figure would be this process's, not the answer's.
 */
const startEmulatorProcess = async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'emulator-cli.ts'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const [first] = (await once(lines, 'line')) as [string];
  lines.close();
  const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(first)?.[1];
  if (!url) {
    child.kill();
    throw new Error(`The emulator did not print its URL: ${first}`);
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
};

/**
 * PutEvents answers on a bus with and without a started discoverer, interleaved put by put so both see the same
 * machine load; discovery runs after the answer, so the ratio should stay near 1.00x.
 */
export const measureDiscovery = async ({ quick }: { quick: boolean }): Promise<DiscoveryReport> => {
  const puts = quick ? 40 : 1_000;
  const emulator = await startEmulatorProcess();
  const config = {
    endpoint: emulator.url,
    region,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  };
  const events = new EventBridgeClient(config);
  const schemas = new SchemasClient(config);
  const detail = JSON.stringify(sampleWorkflowJob('queued'));
  try {
    await events.send(new CreateEventBusCommand({ Name: 'plain' }));
    await events.send(new CreateEventBusCommand({ Name: 'discovering' }));
    await schemas.send(
      new CreateDiscovererCommand({
        SourceArn: `arn:aws:events:${region}:123456789012:event-bus/discovering`,
      }),
    );
    const put = (bus: string) =>
      events.send(
        new PutEventsCommand({
          Entries: [{ EventBusName: bus, Source: 'github.com', DetailType: 'workflow_job', Detail: detail }],
        }),
      );
    const perPut: Record<'plain' | 'discovering', number[]> = { plain: [], discovering: [] };
    const timed = async (bus: 'plain' | 'discovering') => {
      const start = performance.now();
      await put(bus);
      perPut[bus].push(performance.now() - start);
    };
    // Warm-up: connections, JIT.
    for (let index = 0; index < 20; index += 1) await put(index % 2 === 0 ? 'plain' : 'discovering');
    // Pairs of puts, alternating which goes first, so load bursts on a shared machine hit both alike.
    for (let index = 0; index < puts; index += 1) {
      const [first, second] =
        index % 2 === 0 ? (['plain', 'discovering'] as const) : (['discovering', 'plain'] as const);
      await timed(first);
      await timed(second);
    }
    const { Schemas = [] } = await schemas.send(new ListSchemasCommand({ RegistryName: 'discovered-schemas' }));
    const plainMs = median(perPut.plain);
    const discoveringMs = median(perPut.discovering);
    return {
      puts,
      plainMs: round(plainMs, 3),
      discoveringMs: round(discoveringMs, 3),
      ratio: ratio(discoveringMs, plainMs),
      inferMicros: round(timeInference(detail, quick ? 500 : 5_000), 1),
      schemas: Schemas.length,
      versions: Schemas.reduce((total, schema) => total + (schema.VersionCount ?? 0), 0),
    };
  } finally {
    events.destroy();
    schemas.destroy();
    await emulator.stop();
  }
};
