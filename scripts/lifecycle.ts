import { randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';
import { connect } from 'node:net';
import { createInterface } from 'node:readline/promises';
import { DescribeEventBusCommand, EventBridgeClient, ResourceNotFoundException } from '@aws-sdk/client-eventbridge';
import { type Emulator, startEmulator } from './emulator';
import { explainAwsFailure, findAwsAccess } from './lib/aws-access';
import { ensureBundle } from './lib/bundle';
import { readTemplate } from './lib/cfn-yaml';
import { readFlags, UsageError } from './lib/cli-args';
import { type DiscoveryReport, discoverSampleEvent, printDiscovery } from './lib/discovered-schema';
import { type CfnHandler, type Invocation, LocalCloudFormation, type LogLine } from './lib/local-cloudformation';
import { noteNodeVersion } from './lib/node-version-note';
import { findResource } from './lib/template-resource';

const USAGE = `Usage: npm start -- [--json] [--endpoint URL | --aws [--yes]] [--template FILE]
Runs the Custom::GithubEventBus of template.yaml through a full CloudFormation lifecycle:
Create -> Update (stop discovery) -> Update (rename: a replacement) -> Delete of the old bus -> Delete.
  (default)       against an EventBridge + Schemas endpoint embedded in this process, on loopback
  --endpoint URL  against another endpoint that speaks both APIs (LocalStack, npm run emulator, ...)
  --aws           against the AWS account of the default credential chain; asks first unless --yes
  --json          one JSON document for machines instead of the table, also when the run cannot go on
Exits 0 when every answer is one CloudFormation accepts, 1 when one is not or the run cannot go on (one line says
why), 2 on a bad flag, 130 when interrupted (what the run created is deleted first).`;

type Mode = { kind: 'embedded' } | { kind: 'endpoint'; url: string } | { kind: 'aws'; yes: boolean };

type Step = {
  title: string;
  requestType: 'Create' | 'Update' | 'Delete';
  properties: Record<string, unknown>;
  physicalResourceId?: string;
  oldProperties?: Record<string, unknown>;
  /** What CloudFormation (and this resource's contract) needs of the answer. */
  expect: { physicalResourceId: string; attributes?: Record<string, string> };
};

type StepResult = Step & { invocation: Invocation; problems: string[] };

const OPTIONS = {
  help: { type: 'boolean' },
  json: { type: 'boolean' },
  endpoint: { type: 'string' },
  aws: { type: 'boolean' },
  yes: { type: 'boolean' },
  template: { type: 'string' },
} as const;

/** An expected reason the run cannot go on (no endpoint, no credentials, not confirmed): one line, exit 1. */
class StopError extends Error {
  override readonly name = 'StopError';
}

const readArgs = (args: string[]): { mode: Mode; json: boolean; template: string } | 'help' => {
  // Strict: a mistyped flag (say --aws-yes) must stop the run, not be ignored on the way to a real account.
  const values = readFlags(args, OPTIONS);
  if (values.help) return 'help';
  if (values.aws && values.endpoint !== undefined) throw new UsageError('--aws and --endpoint exclude each other');
  if (values.yes && !values.aws) throw new UsageError('--yes only answers the question --aws asks');
  if (values.endpoint !== undefined) checkEndpoint(values.endpoint);
  const mode: Mode = values.aws
    ? { kind: 'aws', yes: values.yes === true }
    : values.endpoint !== undefined
      ? { kind: 'endpoint', url: values.endpoint }
      : { kind: 'embedded' };
  return { mode, json: values.json === true, template: values.template ?? 'template.yaml' };
};

const checkEndpoint = (raw: string): void => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--endpoint must be a URL such as http://127.0.0.1:4599, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--endpoint must be an http:// or https:// URL, got "${raw}"`);
  }
};

/** The five requests CloudFormation sends over a create, two updates (the second a replacement) and teardown. */
export const lifecycleSteps = (properties: Record<string, unknown>): Step[] => {
  const name = String(properties.EventBusName);
  const renamed = `${name}-renamed`.slice(0, 256);
  const stopped = { ...properties, DiscovererState: 'STOPPED' };
  const moved = { ...stopped, EventBusName: renamed };
  return [
    {
      title: 'Create',
      requestType: 'Create',
      properties,
      expect: { physicalResourceId: name, attributes: { EventBusName: name } },
    },
    {
      title: 'Update: stop discovery',
      requestType: 'Update',
      properties: stopped,
      oldProperties: properties,
      physicalResourceId: name,
      expect: { physicalResourceId: name, attributes: { DiscovererState: 'STOPPED' } },
    },
    {
      title: 'Update: rename (replacement)',
      requestType: 'Update',
      properties: moved,
      oldProperties: stopped,
      physicalResourceId: name,
      expect: { physicalResourceId: renamed, attributes: { EventBusName: renamed, DiscovererState: 'STOPPED' } },
    },
    {
      title: 'Delete the replaced bus',
      requestType: 'Delete',
      properties: stopped,
      physicalResourceId: name,
      expect: { physicalResourceId: name },
    },
    {
      title: 'Delete',
      requestType: 'Delete',
      properties: moved,
      physicalResourceId: renamed,
      expect: { physicalResourceId: renamed },
    },
  ];
};

/** What CloudFormation would refuse in an answer, or what breaks the resource's contract. */
export const checkAnswer = (step: Step, invocation: Invocation): string[] => {
  const problems: string[] = [];
  const [answer, ...extra] = invocation.answers;
  if (!answer) return ['no answer arrived at the ResponseURL'];
  if (extra.length > 0) problems.push(`${invocation.answers.length} answers instead of one`);
  if (answer.Status !== 'SUCCESS') problems.push(`status ${answer.Status}: ${answer.Reason}`);
  for (const key of ['StackId', 'RequestId', 'LogicalResourceId'] as const) {
    if (answer[key] !== invocation.event[key]) problems.push(`${key} not echoed`);
  }
  if (answer.PhysicalResourceId !== step.expect.physicalResourceId) {
    problems.push(`PhysicalResourceId ${answer.PhysicalResourceId}, expected ${step.expect.physicalResourceId}`);
  }
  for (const [key, value] of Object.entries(step.expect.attributes ?? {})) {
    if (answer.Data?.[key] !== value) problems.push(`attribute ${key} is ${answer.Data?.[key]}, expected ${value}`);
  }
  if (invocation.headers['content-type'] !== '') problems.push('the response PUT had a content-type');
  return problems;
};

/** Asks on stderr (stdout stays the document under --json); no answer (stdin at its end) is a no. */
const confirm = async (question: string): Promise<boolean> => {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      prompt.once('close', () => resolve(''));
      prompt.once('SIGINT', () => reject(new StopError('Interrupted at the question: nothing was created.')));
      prompt.question(`${question} [y/N] `).then(resolve, reject);
    });
    // Typed answers echo their newline; piped ones do not.
    if (!process.stdin.isTTY) process.stderr.write('\n');
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
};

/** The handler's own WARN and ERROR lines, which say why a step went wrong. */
const handlerLogRows = (logs: LogLine[]): [string, string][] =>
  logs
    .filter((line) => line.level === 'WARN' || line.level === 'ERROR')
    .map(({ level, message, timestamp: _timestamp, ...fields }): [string, string] => [
      'handler log',
      `${level} ${message} ${JSON.stringify(fields)}`,
    ]);

const printStep = (result: StepResult, index: number): void => {
  const answer = result.invocation.answers[0];
  const ok = result.problems.length === 0;
  console.log(`\n${index + 1}. ${result.title}  ${ok ? 'OK' : 'NOT ACCEPTED'}  (${result.invocation.ms} ms)`);
  const rows: [string, string][] = [
    ['request', `${result.requestType}${result.physicalResourceId ? ` ${result.physicalResourceId}` : ''}`],
    ['properties', JSON.stringify(result.properties)],
    ['aws calls', result.invocation.awsCalls.join(', ') || '(none)'],
    [
      'answer',
      `${answer?.Status ?? '(none)'} ${answer?.PhysicalResourceId ?? ''}${answer?.Reason ? ` - ${answer.Reason}` : ''}`,
    ],
    ...Object.entries(answer?.Data ?? {}).map(([key, value]): [string, string] => [`  ${key}`, value]),
    ...result.problems.map((problem): [string, string] => ['problem', problem]),
    // Locally there is no log group to point at: the lines are here.
    ...(ok ? [] : handlerLogRows(result.invocation.logs)),
  ];
  const width = Math.max(...rows.map(([key]) => key.length));
  for (const [key, value] of rows) console.log(`   ${key.padEnd(width)}  ${value}`);
};

const leftovers = async (names: string[]): Promise<string[]> => {
  const client = new EventBridgeClient({});
  const found: string[] = [];
  try {
    for (const name of names) {
      try {
        await client.send(new DescribeEventBusCommand({ Name: name }));
        found.push(name);
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    }
  } finally {
    client.destroy();
  }
  return found;
};

/**
 * The account the credentials act in, from the ARN of its default bus (one read). The handler names a bus's ARN from
 * the account of the function it runs as, so the local CloudFormation must invoke it as a function of that account.
 */
const accountOf = async (): Promise<string> => {
  const client = new EventBridgeClient({});
  try {
    // The first call that uses the credentials: expired, refused or unreachable ends here, in one line.
    const { Arn } = await client.send(new DescribeEventBusCommand({ Name: 'default' })).catch((error: unknown) => {
      throw new StopError(`--aws: ${explainAwsFailure(error, 'DescribeEventBus')}. Nothing was created.`);
    });
    const account = Arn?.split(':')[4];
    if (!account)
      throw new StopError('--aws: DescribeEventBus named no account for the default bus. Nothing was created.');
    return account;
  } finally {
    client.destroy();
  }
};

/** The region of the SDK's default chain; one line if it or the credentials are missing. */
const checkAwsAccess = async (): Promise<string> => {
  const { region, missing } = await findAwsAccess();
  if (missing.length > 0 || !region) throw new StopError(`--aws: ${missing.join('; ')}. Nothing was created.`);
  return region;
};

/** A TCP connection will do: it shows something listens there before five requests fail one by one. */
const checkEndpointAnswers = async (raw: string): Promise<void> => {
  const url = new URL(raw);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  try {
    const socket = connect({ host, port, timeout: 5_000 });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
      socket.once('timeout', () => reject(Object.assign(new Error('timed out'), { code: 'no answer in 5 s' })));
    }).finally(() => socket.destroy());
  } catch (error) {
    const cause = (error as { code?: string }).code ?? (error as Error).message;
    throw new StopError(
      `Nothing answers at ${raw} (${cause}): start an endpoint there (npm run emulator -- --port N), or leave out` +
        ' --endpoint to use the built-in one.',
    );
  }
};

const readResource = (path: string): ReturnType<typeof findResource> => {
  try {
    return findResource(readTemplate(path), 'Custom::GithubEventBus');
  } catch (error) {
    throw new StopError(`Cannot use ${path}: ${(error as Error).message}`);
  }
};

type RunReport = {
  mode: Mode['kind'];
  logicalResourceId?: string;
  steps: Record<string, unknown>[];
  /** The sample event put after Create, and the schema discovery made of it. */
  discovery?: DiscoveryReport;
  leftovers: string[];
  interrupted: boolean;
  /** Why the run could not complete, in one line; absent when every step ran. */
  problem?: string;
  ok: boolean;
};

// Straight to the file descriptor: while the handler runs, process.stderr.write is captured.
const sayNow = (line: string): void => {
  writeSync(2, `${line}\n`);
};

const runLifecycle = async (
  { mode, json, template }: { mode: Mode; json: boolean; template: string },
  report: RunReport,
): Promise<void> => {
  const { logicalId, properties } = readResource(template);
  report.logicalResourceId = logicalId;
  let emulator: Emulator | undefined;
  let region: string;
  let accountId: string | undefined;
  if (mode.kind === 'aws') {
    region = await checkAwsAccess();
    // A unique name: never collide with (or adopt) a bus that already exists in the account.
    properties.EventBusName = `github-event-bus-demo-${randomBytes(4).toString('hex')}`;
    if (
      !mode.yes &&
      !(await confirm(
        `Create event bus ${properties.EventBusName} and its discoverer in your AWS account (${region})?`,
      ))
    ) {
      throw new StopError('Not confirmed: nothing was created. (--yes skips the question.)');
    }
    accountId = await accountOf();
  } else {
    if (mode.kind === 'endpoint') await checkEndpointAnswers(mode.url);
    // The discoverer's rule outlives it for a moment, as on AWS, so the Delete steps show the wait.
    emulator = mode.kind === 'embedded' ? await startEmulator({ ruleLingerMs: 1_000 }) : undefined;
    process.env.AWS_ENDPOINT_URL = emulator?.url ?? (mode.kind === 'endpoint' ? mode.url : '');
    process.env.AWS_REGION ??= 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    region = process.env.AWS_REGION;
  }
  const { handler } = require(await ensureBundle()) as { handler: CfnHandler };
  const cloudFormation = new LocalCloudFormation(handler, { region, ...(accountId ? { accountId } : {}) });
  await cloudFormation.start();

  const steps = lifecycleSteps(properties);
  const results: StepResult[] = [];
  let discovery: DiscoveryReport | undefined;
  const live = new Map<string, Record<string, unknown>>();
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!interrupted) sayNow(`${signal}: finishing the current step, then deleting what this run created.`);
    interrupted = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (const step of steps) {
      if (interrupted) break;
      const invocation = await cloudFormation.send(step.requestType, logicalId, step.properties, step);
      const result = { ...step, invocation, problems: checkAnswer(step, invocation) };
      results.push(result);
      if (!json) printStep(result, results.length - 1);
      // While discovery is STARTED (after Create): put a sample event and show the schema it was inferred into.
      if (step.requestType === 'Create' && result.problems.length === 0) {
        discovery = await discoverSampleEvent(
          { kind: mode.kind, endpoint: process.env.AWS_ENDPOINT_URL },
          step.properties,
        );
        if (!json) printDiscovery(discovery);
      }
      const id = invocation.answers[0]?.PhysicalResourceId;
      if (step.requestType === 'Delete' && result.problems.length === 0) live.delete(step.physicalResourceId ?? '');
      else if (id && invocation.answers[0]?.Status === 'SUCCESS') live.set(id, step.properties);
      if (result.problems.length > 0) break;
    }
  } finally {
    // Whatever happened, delete what the run created, as CloudFormation's rollback would.
    for (const [id, props] of live) {
      await cloudFormation.send('Delete', logicalId, props, { physicalResourceId: id });
    }
    await cloudFormation.stop();
  }
  report.steps = results.map((result) => ({
    title: result.title,
    requestType: result.requestType,
    physicalResourceId: result.physicalResourceId,
    properties: result.properties,
    awsCalls: result.invocation.awsCalls,
    answer: result.invocation.answers[0],
    ms: result.invocation.ms,
    problems: result.problems,
    logs: result.invocation.logs,
  }));
  if (discovery) report.discovery = discovery;
  report.interrupted = interrupted !== undefined;
  const names = [...new Set(steps.map((step) => String(step.properties.EventBusName)))];
  let checked = false;
  try {
    report.leftovers = await leftovers(names);
    checked = true;
  } catch (error) {
    report.problem = `Could not check that ${names.join(', ')} are gone: ${(error as Error).message}`;
  } finally {
    await emulator?.close();
  }
  const failed = results.some((result) => result.problems.length > 0) || results.length < steps.length;
  report.ok = !failed && !report.problem && report.leftovers.length === 0;
  if (interrupted) {
    report.problem ??= `Interrupted (${interrupted}) after ${results.length} of ${steps.length} steps; deleted what it had created.`;
  } else if (failed) {
    const last = results.at(-1);
    report.problem ??= `${last?.title ?? 'A step'} was not accepted: ${last?.problems[0] ?? 'no answer'}`;
  }
  if (!json && checked) {
    console.log(
      report.leftovers.length > 0
        ? `\nLeft behind: ${report.leftovers.join(', ')}`
        : `\nNothing left behind (${names.join(', ')} are gone).${interrupted ? '' : failed ? ' FAILED' : ' Lifecycle OK.'}`,
    );
  }
};

/** Exit codes: 0 every step accepted, 1 a step failed or the run could not go on, 2 usage, 130 interrupted. */
const main = async (args: string[]): Promise<number> => {
  const json = args.includes('--json');
  // Every key in the order the document shows them; those still undefined at the end are left out.
  const report: RunReport = {
    mode: 'embedded',
    logicalResourceId: undefined,
    steps: [],
    discovery: undefined,
    leftovers: [],
    interrupted: false,
    problem: undefined,
    ok: false,
  };
  let code: number;
  let stack: string | undefined;
  try {
    const options = readArgs(args);
    if (options === 'help') {
      console.log(USAGE);
      return 0;
    }
    report.mode = options.mode.kind;
    noteNodeVersion(options.template);
    await runLifecycle(options, report);
    code = report.interrupted ? 130 : report.ok ? 0 : 1;
  } catch (error) {
    const expected = error instanceof UsageError || error instanceof StopError;
    report.problem = error instanceof Error ? error.message : String(error);
    report.ok = false;
    code = error instanceof UsageError ? 2 : 1;
    if (error instanceof UsageError) report.problem += ' (npm start -- --help lists the flags)';
    // A stack trace is for bugs only (it carries the message itself).
    if (!expected) stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  if (stack) console.error(stack);
  if (json) console.log(JSON.stringify(report, null, 2));
  if (report.problem && !stack) console.error(report.problem);
  return code;
};

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}
