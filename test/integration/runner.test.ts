import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { type Emulator, startEmulator } from '../../scripts/emulator';
import { readTemplate } from '../../scripts/lib/cfn-yaml';
import { GITHUB_EVENT_SOURCE, putGithubEvent, sampleWorkflowJob } from '../../scripts/lib/github-event';

const run = promisify(execFile);

describe('npm start', () => {
  it('runs the whole lifecycle of the template resource and exits 0', async () => {
    // Act
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/lifecycle.ts', '--json'], {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    // Assess
    const report = JSON.parse(stdout) as { ok: boolean; steps: { title: string; answer: { Status: string } }[] };
    expect(report.ok).toBe(true);
    expect(report.steps.map((step) => `${step.title}: ${step.answer.Status}`)).toEqual([
      'Create: SUCCESS',
      'Update: stop discovery: SUCCESS',
      'Update: rename (replacement): SUCCESS',
      'Delete the replaced bus: SUCCESS',
      'Delete: SUCCESS',
    ]);
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
