// npm start against an endpoint that outlives it: what it calls its own is what its own stack made, by the
// ownership tags, which carry the run's StackId.
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { type Emulator, startEmulator } from '../../scripts/emulator';
import { problemLines, run, stopChildren } from './start-process';

const NAME = 'github-actions-event-bus';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());
afterEach(stopChildren);

type Report = { ok: boolean; stack: { id: string }; leftovers: string[]; notOurs: string[]; problem: string };

const startAgainstEmulator = async (): Promise<{ code: number | null; report: Report; stdout: string }> => {
  const env = { ...process.env, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
  const { code, stdout, stderr } = await run(['--json', '--endpoint', emulator.url], env);
  const report = JSON.parse(stdout) as Report;
  expect(problemLines(stderr)).toEqual(report.problem ? [report.problem] : []);
  return { code, report, stdout };
};

const createBus = async (tags: Record<string, string>): Promise<void> => {
  const client = new EventBridgeClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(
    new CreateEventBusCommand({ Name: NAME, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }),
  );
  client.destroy();
};

describe('npm start and what is not its own', () => {
  it('fails naming a bus it did not make, leaves it alone and does not call it left behind', async () => {
    // Prepare
    await createBus({ team: 'platform' });

    // Act
    const { code, report } = await startAgainstEmulator();

    // Assess
    expect(code).toBe(1);
    expect(report.leftovers).toEqual([]);
    expect(report.notOurs).toEqual([`event bus ${NAME} (made outside any stack of this resource)`]);
    expect(report.problem).toBe(
      `Create was not accepted: event bus ${NAME} is not this run's (made outside any stack of this resource) and ` +
        'was left alone. Delete it, pass --parameter EventBusName=ANOTHER-NAME, or adopt it with --parameter AdoptExisting=true.',
    );
    expect(emulator.buses().map((bus) => bus.name)).toEqual([NAME]);
  });

  it('names the other stack when the bus is another run’s, made against the same endpoint', async () => {
    // Prepare
    const other = 'arn:aws:cloudformation:us-east-1:123456789012:stack/github-event-bus-local-0badf00d/1';
    await createBus({ 'github-event-bus:stack-id': other, 'github-event-bus:logical-id': 'GithubActionsEventBus' });

    // Act
    const { report } = await startAgainstEmulator();

    // Assess
    expect(report.notOurs).toEqual([`event bus ${NAME} (made by stack github-event-bus-local-0badf00d)`]);
    expect(report.problem).toContain('is not this run');
  });

  it('reports as left behind what its own stack made and could not delete, and only that', async () => {
    // Prepare: every DeleteEventBus refused, so the buses the run made stay.
    emulator.inject({
      operation: 'DeleteEventBus',
      times: Number.POSITIVE_INFINITY,
      action: { type: 'error', name: 'AccessDeniedException', status: 403 },
    });

    // Act
    const { code, report, stdout } = await startAgainstEmulator();

    // Assess
    expect(code).toBe(1);
    expect(report.leftovers).toEqual([`event bus ${NAME}`, `event bus ${NAME}-renamed`]);
    expect(report.notOurs).toEqual([]);
    expect(report.problem).toMatch(/^Delete the replaced bus was not accepted: answered FAILED \(step 4 says why\)\. /);
    expect(report.problem).toContain(`Left behind by this run's stack: event bus ${NAME}, event bus ${NAME}-renamed.`);
    const tagged = emulator.buses().map((bus) => bus.tags['github-event-bus:stack-id']);
    expect(tagged).toEqual([report.stack.id, report.stack.id]);
    expect(stdout).not.toContain('Lifecycle OK');
  });

  it('plays each run as a stack of its own', async () => {
    // Act
    const first = await startAgainstEmulator();
    const second = await startAgainstEmulator();

    // Assess
    expect(first.report.ok).toBe(true);
    expect(second.report.ok).toBe(true);
    expect(first.report.stack.id).not.toBe(second.report.stack.id);
  });
});
