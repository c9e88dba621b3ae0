import {
  awsClis,
  bash,
  cliEnvironment,
  commandLines,
  DOC_URL,
  readDoc,
  startDocEmulator,
  stopEmulators,
  walkthrough,
} from './walkthrough-support';

// "I made the bus by hand": the adoption walk-through, typed as written against the emulator.
const DOC = 'docs/migration.md';
const doc = readDoc(DOC);
const clis = awsClis();

/** The Reason the document quotes for a Create over a bus made by hand. */
const quotedReason = (): string => {
  const reason = /^Event bus github-actions-event-bus already exists[^\n]*$/m.exec(doc)?.[0];
  if (!reason) throw new Error(`${DOC} quotes no Reason for a bus made by hand`);
  return reason;
};

/** The JSON documents the AWS CLI printed (pretty, one `{` ... `}` block each), in order. */
const jsonDocuments = (text: string): unknown[] =>
  (text.match(/^\{\n[\s\S]*?^\}$/gm) ?? []).map((block) => JSON.parse(block) as unknown);

/** The AWS calls `npm start` printed for one of its steps. */
const stepCalls = (output: string, step: string): string[] => {
  const start = output.indexOf(step);
  const calls = start < 0 ? undefined : /aws calls +([^\n]*)/.exec(output.slice(start))?.[1];
  if (calls === undefined) throw new Error(`npm start printed no step "${step}" with its AWS calls`);
  return calls.split(', ');
};

afterEach(stopEmulators);

describe(`the ${DOC} walk-through (test data: the document itself)`, () => {
  it('makes the bus and a stopped discoverer by hand, adopts them with npm start, then reads them back', () => {
    const { emulator, client } = walkthrough(doc, DOC);
    const commands = commandLines(client);
    expect(emulator).toMatch(/^npm run emulator -- --port 4599/);
    expect(commands.findIndex((line) => line.startsWith('aws schemas stop-discoverer'))).toBeGreaterThan(
      commands.findIndex((line) => line.startsWith('aws schemas create-discoverer')),
    );
    expect(commands).toContain(`npm start -- --endpoint ${DOC_URL} --parameter AdoptExisting=true`);
    expect(commands.at(-2)).toMatch(/^aws schemas describe-discoverer /);
    expect(commands.at(-1)).toMatch(/^aws events list-tags-for-resource /);
    // Every aws command names the endpoint itself: older CLIs ignore AWS_ENDPOINT_URL.
    for (const command of commands.filter((line) => line.startsWith('aws '))) {
      expect(command).toContain(`--endpoint-url ${DOC_URL}`);
    }
  });

  it('quotes the Reason that names AdoptExisting', () => {
    expect(quotedReason()).toContain('set AdoptExisting: "true"');
  });

  if (clis.length === 0) {
    it.skip('runs with the AWS CLI: SKIPPED, no `aws` on the PATH (Debian: apt-get install awscli)', () => {});
  }
});

// Jest refuses .each over an empty table, so without a CLI this block is left out and the skip above says why.
(clis.length > 0 ? describe.each(clis) : () => undefined)(
  `the ${DOC} walk-through, typed as written, with $version`,
  ({ path }) => {
    it('adopts the bus and discoverer made by hand, hands them back as the stack left them, and the Reason is the quoted one without AdoptExisting', async () => {
      // Prepare: the AWS CLI under test first on the PATH, and nothing from this machine's AWS setup.
      const { emulator, client } = walkthrough(doc, DOC);
      const { env, done } = cliEnvironment(path);
      const server = await startDocEmulator(emulator.trim());

      try {
        // Act
        const run = await bash(client.replaceAll(DOC_URL, server.url), env);
        const refused = await bash(
          `${commandLines(client)[0]}\nnpm start -- --endpoint ${server.url} 2>&1 || echo "exit $?"`,
          env,
        );

        // Assess: the lifecycle adopted, then handed back without deleting anything made by hand.
        expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
        expect(stepCalls(run.stdout, '1. Create')).toEqual(expect.arrayContaining(['TagResource', 'StartDiscoverer']));
        const handBack = stepCalls(run.stdout, '4. Delete the replaced bus');
        expect(handBack).toContain('UntagResource');
        expect(handBack).not.toContain('DeleteDiscoverer');
        expect(handBack).not.toContain('DeleteEventBus');
        expect(run.stdout).toContain('Lifecycle OK.');
        expect(run.stdout).toContain(
          "Not this run's, left alone: event bus github-actions-event-bus (made outside any stack of this resource), " +
            'discoverer events-event-bus-github-actions-event-bus',
        );
        // The last two commands: the discoverer as the stack last set it, with only the tag made by hand; the bus bare.
        const [discoverer, busTags] = jsonDocuments(run.stdout.slice(run.stdout.indexOf('Lifecycle OK.'))).slice(-2);
        expect(discoverer).toMatchObject({
          State: 'STOPPED',
          Description: 'Schema discoverer for events on github-actions-event-bus event bus',
          Tags: { team: 'platform' },
        });
        expect((discoverer as { Tags: object }).Tags).toEqual({ team: 'platform' });
        expect(busTags).toEqual({ Tags: [] });
        // Without AdoptExisting the same run is refused, with the Reason the document quotes.
        expect(refused.stdout).toContain(quotedReason());
        expect(refused.stdout).toMatch(/exit 1\n$/);
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
