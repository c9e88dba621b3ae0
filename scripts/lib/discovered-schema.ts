import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DescribeSchemaCommand, NotFoundException, SchemasClient } from '@aws-sdk/client-schemas';
import { GITHUB_EVENT_SOURCE, putGithubEvent, sampleWorkflowJob } from './github-event';

export const DISCOVERED_REGISTRY = 'discovered-schemas';
export const WORKFLOW_JOB_SCHEMA = `${GITHUB_EVENT_SOURCE}@workflow_job`;

/** What `npm start` shows of discovery: the schema the sample event was inferred into, or why there is none. */
export type DiscoveryReport =
  | {
      status: 'discovered';
      registry: string;
      schemaName: string;
      schemaVersion: string;
      /** The top-level fields of the event's `detail`, as the schema has them. */
      detailFields: string[];
      /** Absent for the embedded endpoint, which stops with the run. */
      readWith?: string;
    }
  | { status: 'skipped' | 'not-discovered' | 'unavailable'; reason: string; readWith?: string };

/** The AWS CLI command that prints a discovered schema; `--endpoint-url` when it lives on a local endpoint. */
export const describeSchemaCommand = (schemaName = WORKFLOW_JOB_SCHEMA, endpoint?: string): string =>
  `aws schemas describe-schema --registry-name ${DISCOVERED_REGISTRY} --schema-name ${schemaName}` +
  (endpoint ? ` --endpoint-url ${endpoint}` : '');

type Where = { kind: 'embedded' | 'endpoint' | 'aws'; endpoint?: string };

/**
 * Puts the sample workflow_job event on the bus and waits (up to `timeoutMs`) for its discovered schema. Never on
 * AWS: the account's discovered-schemas registry may hold the real github.com@workflow_job, and a demo event
 * would add a version to it that the run could not take back.
 */
export const discoverSampleEvent = async (
  where: Where,
  properties: Record<string, unknown>,
  timeoutMs = 5_000,
): Promise<DiscoveryReport> => {
  const readWith = where.kind === 'embedded' ? undefined : describeSchemaCommand(WORKFLOW_JOB_SCHEMA, where.endpoint);
  if (where.kind === 'aws') {
    return {
      status: 'skipped',
      reason: 'not on AWS: a demo event would add a version to your account’s own discovered schema',
      readWith,
    };
  }
  if (properties.DiscovererState === 'STOPPED') return { status: 'skipped', reason: 'discovery is STOPPED', readWith };
  const events = new EventBridgeClient({});
  const schemas = new SchemasClient({});
  try {
    await putGithubEvent(events, String(properties.EventBusName), 'workflow_job', sampleWorkflowJob('queued'));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const output = await schemas.send(
          new DescribeSchemaCommand({ RegistryName: DISCOVERED_REGISTRY, SchemaName: WORKFLOW_JOB_SCHEMA }),
        );
        return {
          status: 'discovered',
          registry: DISCOVERED_REGISTRY,
          schemaName: WORKFLOW_JOB_SCHEMA,
          schemaVersion: String(output.SchemaVersion),
          detailFields: detailFields(String(output.Content)),
          readWith,
        };
      } catch (error) {
        if (!(error instanceof NotFoundException)) throw error;
      }
      if (Date.now() >= deadline) {
        return { status: 'not-discovered', reason: `no schema after ${timeoutMs / 1000} s`, readWith };
      }
      await sleep(100);
    }
  } catch (error) {
    // An endpoint without the Schemas registry API (LocalStack's community edition) is not a lifecycle failure.
    return { status: 'unavailable', reason: error instanceof Error ? error.message : String(error), readWith };
  } finally {
    events.destroy();
    schemas.destroy();
  }
};

/** The properties of the schema AWSEvent.detail points to. */
const detailFields = (content: string): string[] => {
  type Component = { properties?: Record<string, { $ref?: string }> };
  const document = JSON.parse(content) as { components?: { schemas?: Record<string, Component> } };
  const components = document.components?.schemas ?? {};
  const ref = components.AWSEvent?.properties?.detail?.$ref ?? '';
  return Object.keys(components[ref.split('/').at(-1) ?? '']?.properties ?? {});
};

export const printDiscovery = (report: DiscoveryReport): void => {
  const rows: [string, string][] =
    report.status === 'discovered'
      ? [
          ['sample event', `workflow_job (queued) put; discovered as ${report.schemaName}`],
          ['schema', `${report.schemaName} version ${report.schemaVersion} in ${report.registry}`],
          ['detail fields', report.detailFields.join(', ')],
        ]
      : [['sample event', `no discovered schema (${report.status}): ${report.reason}`]];
  if (report.readWith) rows.push(['read it with', report.readWith]);
  for (const [key, value] of rows) console.log(`   ${key.padEnd(13)}  ${value}`);
};
