import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateDiscovererCommand, DescribeSchemaCommand, SchemasClient } from '@aws-sdk/client-schemas';
import { type Emulator, startEmulator } from '../../scripts/emulator';
import { readTemplate } from '../../scripts/lib/cfn-yaml';
import { GITHUB_EVENT_SOURCE, putGithubEvent, sampleWorkflowJob } from '../../scripts/lib/github-event';

const run = promisify(execFile);

describe('npm start', () => {
  type Report = {
    ok: boolean;
    steps: { title: string; answer: { Status: string } }[];
    discovery?: { status: string; schemaName?: string; schemaVersion?: string; detailFields?: string[] };
  };
  let report: Report;
  beforeAll(async () => {
    const { stdout } = await run(process.execPath, ['scripts/lifecycle.js', '--json']);
    report = JSON.parse(stdout) as Report;
  });

  it('runs the whole lifecycle of the template resource and exits 0', () => {
    expect(report.ok).toBe(true);
    expect(report.steps.map((step) => `${step.title}: ${step.answer.Status}`)).toEqual([
      'Create: SUCCESS',
      'Update: stop discovery: SUCCESS',
      'Update: rename (replacement): SUCCESS',
      'Delete the replaced bus: SUCCESS',
      'Delete: SUCCESS',
    ]);
  });

  it('reports the schema discovered from the sample workflow_job event put while discovery was started', () => {
    expect(report.discovery).toEqual({
      status: 'discovered',
      registry: 'discovered-schemas',
      schemaName: 'github.com@workflow_job',
      schemaVersion: '1',
      detailFields: ['action', 'organization', 'repository', 'sender', 'workflow_job'],
    });
  });
});

describe('the sample GitHub event', () => {
  let emulator: Emulator;
  let client: EventBridgeClient;
  beforeAll(async () => {
    emulator = await startEmulator();
    client = new EventBridgeClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  it('arrives on the bus as the webhook forwarder would put it', async () => {
    // Prepare
    await client.send(new CreateEventBusCommand({ Name: 'runners' }));
    // Act
    await putGithubEvent(client, 'runners', 'workflow_job', sampleWorkflowJob('queued'));
    // Assess
    const [entry] = emulator.events;
    expect(entry).toMatchObject({ EventBusName: 'runners', Source: 'github.com', DetailType: 'workflow_job' });
    expect(JSON.parse(String(entry?.Detail))).toMatchObject({ action: 'queued', workflow_job: { status: 'queued' } });
  });

  it('is discovered when npm run sample-event puts it, which says where the schema can be read', async () => {
    // Prepare
    await client.send(new CreateEventBusCommand({ Name: 'watched' }));
    const schemas = new SchemasClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await schemas.send(
      new CreateDiscovererCommand({ SourceArn: 'arn:aws:events:us-east-1:123456789012:event-bus/watched' }),
    );
    // Act
    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      'scripts/send-sample-event.ts',
      '--bus',
      'watched',
      '--endpoint',
      emulator.url,
    ]);
    // Assess
    const command = `aws schemas describe-schema --registry-name discovered-schemas --schema-name github.com@workflow_job --endpoint-url ${emulator.url}`;
    expect(stdout).toContain(command);
    const schema = await schemas.send(
      new DescribeSchemaCommand({ RegistryName: 'discovered-schemas', SchemaName: 'github.com@workflow_job' }),
    );
    schemas.destroy();
    expect(schema.Content).toContain('"x-amazon-events-detail-type": "workflow_job"');
  });

  it('matches the queued-job rule of the consumer example', () => {
    // Prepare
    const template = readTemplate('examples/consumer.yaml');
    const pattern = template.Resources.QueuedJobRule?.Properties?.EventPattern as {
      source: string[];
      'detail-type': string[];
      detail: { action: string[] };
    };
    // Act
    const event = { source: GITHUB_EVENT_SOURCE, 'detail-type': 'workflow_job', detail: sampleWorkflowJob('queued') };
    // Assess
    expect(pattern.source).toContain(event.source);
    expect(pattern['detail-type']).toContain(event['detail-type']);
    expect(pattern.detail.action).toContain(event.detail.action);
  });
});
