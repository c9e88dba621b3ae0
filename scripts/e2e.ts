import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchemasClient } from '@aws-sdk/client-schemas';
import { type E2eReport, runE2e } from './e2e/run';
import { findAwsAccess } from './lib/aws-access';
import { readFlags, UsageError, wholeNumber } from './lib/cli-args';
import { noteNodeVersion } from './lib/node-version-note';

const USAGE = `Usage: npm run e2e -- --aws [--yes] [--stack NAME] [--timeout-min N]
Checks a deployed provider end to end in your AWS account (default credential chain): creates a test stack
github-event-bus-e2e-<random> that imports the provider's ServiceToken, then through CloudFormation walks
Create -> Update (stop discovery, tags, LogConfig) -> rename (replacement) -> an Update that fails on a second
resource and rolls back -> Delete, checking the real bus, discoverer, tags, managed rule and outputs after each.
  --aws            required: the run creates and deletes real resources; it asks first
  --yes            do not ask
  --stack NAME     the provider's stack, whose ServiceToken export the test stack imports (default github-event-bus)
  --timeout-min N  give up on one stack operation after N minutes (default 30)
The test stack is always deleted, also on Ctrl-C (the current step ends first). Exits 0 when every step passed and
nothing is left, 1 when a step failed or the run cannot start (one line says why), 2 on a bad flag, 130 when
interrupted.`;

const OPTIONS = {
  help: { type: 'boolean' },
  aws: { type: 'boolean' },
  yes: { type: 'boolean' },
  stack: { type: 'string' },
  'timeout-min': { type: 'string' },
} as const;

/** Ctrl-C at the question, before anything was created. */
class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

// CloudFormation: a letter, then letters, digits and hyphens, at most 128 characters.
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

const readArgs = (args: string[]) => {
  const values = readFlags(args, OPTIONS);
  if (values.help) return 'help' as const;
  if (!values.aws) {
    throw new UsageError('npm run e2e runs only against a real AWS account: npm run e2e -- --aws [--yes]');
  }
  const stack = values.stack ?? 'github-event-bus';
  if (!STACK_NAME.test(stack)) throw new UsageError(`--stack must be a CloudFormation stack name, got "${stack}"`);
  const timeoutMin = wholeNumber('timeout-min', values['timeout-min'], 30, 1);
  return { yes: values.yes === true, stack, timeoutMs: timeoutMin * 60_000 };
};

/** Asks on stderr; no answer (stdin at its end) is a no, and Ctrl-C at the question stops the run. */
const confirm = async (question: string): Promise<boolean> => {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      prompt.once('close', () => resolve(''));
      prompt.once('SIGINT', () => reject(new InterruptedError('Interrupted at the question: nothing was created.')));
      prompt.question(`${question} [y/N] `).then(resolve, reject);
    });
    if (!process.stdin.isTTY) process.stderr.write('\n');
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
};

const main = async (args: string[]): Promise<number> => {
  const options = readArgs(args);
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  noteNodeVersion();
  const { region, missing } = await findAwsAccess();
  if (missing.length > 0 || !region) {
    console.error(`npm run e2e: ${missing.join('; ')}. Nothing was created.`);
    return 1;
  }
  let interrupted: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!interrupted) console.error(`${signal}: finishing the current step, then deleting the test stack.`);
    interrupted = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const clients = {
    cloudFormation: new CloudFormationClient({}),
    events: new EventBridgeClient({}),
    schemas: new SchemasClient({}),
  };
  let report: E2eReport;
  try {
    report = await runE2e({
      clients,
      providerStack: options.stack,
      region,
      stackName: `github-event-bus-e2e-${randomBytes(4).toString('hex')}`,
      yes: options.yes,
      confirm,
      say: (line) => console.log(line),
      interrupted: () => interrupted,
      waiting: { pollMs: 5_000, timeoutMs: options.timeoutMs, sleep: (ms) => sleep(ms), now: () => Date.now() },
    });
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
  if (report.problem) console.error(report.problem);
  return report.interrupted ? 130 : report.ok ? 0 : 1;
};

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`${error.message} (npm run e2e -- --help lists the flags)`);
        process.exit(2);
      }
      if (error instanceof InterruptedError) {
        console.error(error.message);
        process.exit(130);
      }
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}
