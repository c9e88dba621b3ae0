import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { DescribeEventBusCommand, EventBridgeClient, ResourceNotFoundException } from '@aws-sdk/client-eventbridge';
import { type Emulator, startEmulator } from './emulator';
import { ensureBundle } from './lib/bundle';
import { readTemplate } from './lib/cfn-yaml';
import { type DiscoveryReport, discoverSampleEvent, printDiscovery } from './lib/discovered-schema';
import { type CfnHandler, type Invocation, LocalCloudFormation } from './lib/local-cloudformation';
import { findResource } from './lib/template-resource';

const USAGE = `Usage: npm start -- [--json] [--endpoint URL | --aws [--yes]] [--template FILE]
Runs the Custom::GithubEventBus of template.yaml through a full CloudFormation lifecycle:
Create -> Update (stop discovery) -> Update (rename: a replacement) -> Delete of the old bus -> Delete.
  (default)       against an EventBridge + Schemas endpoint embedded in this process, on loopback
  --endpoint URL  against another endpoint that speaks both APIs (LocalStack, npm run emulator, ...)
  --aws           against the AWS account of the default credential chain; asks first unless --yes
  --json          one JSON document for machines instead of the table`;

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

const readArgs = (args: string[]): { mode: Mode; json: boolean; template: string } => {
  // Strict: a mistyped flag (say --aws-yes) must stop the run, not be ignored on the way to a real account.
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>['values'];
  try {
    ({ values } = parseArgs({ args, options: OPTIONS }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const mode: Mode = values.aws
    ? { kind: 'aws', yes: values.yes === true }
    : values.endpoint
      ? { kind: 'endpoint', url: values.endpoint }
      : { kind: 'embedded' };
  return { mode, json: values.json === true, template: values.template ?? 'template.yaml' };
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

const confirm = async (question: string): Promise<boolean> => {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await prompt.question(`${question} [y/N] `);
  prompt.close();
  return /^y(es)?$/i.test(answer.trim());
};

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
  ];
  const width = Math.max(...rows.map(([key]) => key.length));
  for (const [key, value] of rows) console.log(`   ${key.padEnd(width)}  ${value}`);
};

const leftovers = async (names: string[]): Promise<string[]> => {
  const client = new EventBridgeClient({});
  const found: string[] = [];
  for (const name of names) {
    try {
      await client.send(new DescribeEventBusCommand({ Name: name }));
      found.push(name);
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
  return found;
};

const main = async (): Promise<number> => {
  const { mode, json, template: templatePath } = readArgs(process.argv.slice(2));
  const { logicalId, properties } = findResource(readTemplate(templatePath), 'Custom::GithubEventBus');
  let emulator: Emulator | undefined;
  if (mode.kind === 'aws') {
    // A unique name: never collide with (or adopt) a bus that already exists in the account.
    properties.EventBusName = `github-event-bus-demo-${randomBytes(4).toString('hex')}`;
    if (
      !mode.yes &&
      !(await confirm(`Create event bus ${properties.EventBusName} and its discoverer in your AWS account?`))
    ) {
      return 1;
    }
  } else {
    // The discoverer's rule outlives it for a moment, as on AWS, so the Delete steps show the wait.
    emulator = mode.kind === 'embedded' ? await startEmulator({ ruleLingerMs: 1_000 }) : undefined;
    process.env.AWS_ENDPOINT_URL = emulator?.url ?? (mode.kind === 'endpoint' ? mode.url : '');
    process.env.AWS_REGION ??= 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  }
  const { handler } = require(await ensureBundle()) as { handler: CfnHandler };
  const cloudFormation = new LocalCloudFormation(handler, { region: process.env.AWS_REGION ?? 'us-east-1' });
  await cloudFormation.start();

  const steps = lifecycleSteps(properties);
  const results: StepResult[] = [];
  let discovery: DiscoveryReport | undefined;
  const live = new Map<string, Record<string, unknown>>();
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
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
  const names = [...new Set(steps.map((step) => String(step.properties.EventBusName)))];
  const remaining = await leftovers(names);
  await emulator?.close();

  const failed =
    results.some((result) => result.problems.length > 0) || results.length < steps.length || remaining.length > 0;
  if (json) {
    console.log(
      JSON.stringify(
        {
          mode: mode.kind,
          logicalResourceId: logicalId,
          steps: results.map((result) => ({
            title: result.title,
            requestType: result.requestType,
            physicalResourceId: result.physicalResourceId,
            properties: result.properties,
            awsCalls: result.invocation.awsCalls,
            answer: result.invocation.answers[0],
            ms: result.invocation.ms,
            problems: result.problems,
          })),
          discovery,
          leftovers: remaining,
          ok: !failed,
        },
        null,
        2,
      ),
    );
  } else {
    console.log(
      remaining.length > 0
        ? `\nLeft behind: ${remaining.join(', ')}`
        : `\nNothing left behind (${names.join(', ')} are gone). ${failed ? 'FAILED' : 'Lifecycle OK.'}`,
    );
  }
  return interrupted ? 130 : failed ? 1 : 0;
};

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}
