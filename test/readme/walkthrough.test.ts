import { setTimeout as sleep } from 'node:timers/promises';
import {
  awsClis,
  bash,
  cliEnvironment,
  commandLines,
  DOC_URL,
  expectedOperations,
  readDoc,
  startDocEmulator,
  stopEmulators,
  walkthrough,
} from './walkthrough-support';

// The local endpoint's walk-through, which the README points to.
const DOC = 'docs/local.md';
const doc = readDoc(DOC);
const clis = awsClis();

afterEach(stopEmulators);

describe(`the ${DOC} walk-through (test data: the document itself)`, () => {
  it('finds the emulator block and the client blocks after it', () => {
    const { emulator, client } = walkthrough(doc, DOC);
    expect(emulator).toMatch(/^npm run emulator -- --port 4599/);
    expect(client).toContain('aws events create-event-bus --name github-actions-event-bus');
    expect(client).toContain('aws schemas create-discoverer');
    expect(client).toContain('npm run sample-event');
    expect(client).toContain('aws schemas describe-schema');
    expect(expectedOperations(client)).toContain('schemas CreateDiscoverer');
    // Every aws command names the endpoint itself: older CLIs ignore AWS_ENDPOINT_URL.
    for (const command of commandLines(client).filter((line) => line.startsWith('aws '))) {
      expect(command).toContain(`--endpoint-url ${DOC_URL}`);
    }
  });

  if (clis.length === 0) {
    it.skip('runs with the AWS CLI: SKIPPED, no `aws` on the PATH (Debian: apt-get install awscli)', () => {});
  }
});

// Jest refuses .each over an empty table, so without a CLI this block is left out and the skip above says why.
(clis.length > 0 ? describe.each(clis) : () => undefined)(
  `the ${DOC} walk-through, typed as written, with $version`,
  ({ path }) => {
    it('creates the bus and discoverer, puts the sample event, reads them back and removes them', async () => {
      // Prepare: the AWS CLI under test first on the PATH, and nothing from this machine's AWS setup.
      const { emulator, client } = walkthrough(doc, DOC);
      const { env, done } = cliEnvironment(path);
      const server = await startDocEmulator(emulator.trim());

      try {
        // Act
        const run = await bash(client.replaceAll(DOC_URL, server.url), env);

        // Assess
        expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
        expect(run.stdout).toContain(
          '"EventBusArn": "arn:aws:events:us-east-1:123456789012:event-bus/github-actions-event-bus"',
        );
        expect(run.stdout).toContain('"DiscovererId": "events-event-bus-github-actions-event-bus"');
        expect(run.stdout).toContain('"State": "STARTED"');
        expect(run.stdout).toMatch(/Put workflow_job \(queued\) on github-actions-event-bus: event \S+/);
        expect(run.stdout).toContain('"Name": "github-actions-event-bus"');
        expect(run.stdout).toContain('"SchemaName": "github.com@workflow_job"');
        // The emulator's request log (--verbose), read as it arrives: its last line may trail the client's exit.
        const expected = expectedOperations(client);
        const logged = (): string[] => server.output().match(/^\S+ (events|schemas) \w+ \d+.*$/gm) ?? [];
        for (let wait = 0; wait < 50 && logged().length < expected.length; wait += 1) await sleep(100);
        const requests = logged().map((line) => line.split(' ').slice(1));
        expect(requests.map(([service, operation]) => `${service} ${operation}`)).toEqual(expected);
        expect(requests.filter(([, , status]) => !/^2\d\d$/.test(status ?? ''))).toEqual([]);
      } finally {
        done();
      }
    }, 300_000);
  },
);

// For a reader of the test log: say plainly why the CLI runs did not happen.
if (clis.length === 0) {
  process.stderr.write(`${DOC} walk-through: no \`aws\` on the PATH, so its AWS CLI runs are skipped.\n`);
}
