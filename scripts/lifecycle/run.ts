import { randomBytes } from 'node:crypto';
import { type Emulator, startEmulator } from '../emulator';
import { ensureBundle } from '../lib/bundle';
import { readTemplate, type Template } from '../lib/cfn-yaml';
import { StopError, UsageError } from '../lib/cli-args';
import { type DiscoveryReport, discoverSampleEvent, printDiscovery } from '../lib/discovered-schema';
import { type CfnHandler, LocalCloudFormation } from '../lib/local-cloudformation';
import { type AnsweredRequest, LocalStack, type StackStatus } from '../lib/local-stack';
import { type Found, findByName } from '../lib/stack-leftovers';
import { ParameterError, readParameters } from '../lib/template-parameters';
import { findResource } from '../lib/template-resource';
import { interruption, type RunState } from './interruption';
import { checkAnswer, followUp, lifecycleOperations, type Operation } from './operations';
import { summarize } from './outcome';
import { printStep, type StepResult } from './print';
import { accountOf, checkAwsAccess, checkEndpointAnswers, confirm, type Mode } from './targets';

export type RunOptions = {
  mode: Mode;
  json: boolean;
  template: string;
  /** --parameter NAME=VALUE flags, as given. */
  parameters: string[];
};

export type RunReport = {
  mode: Mode['kind'];
  /** The local stack the run plays: a name and StackId of its own, which the ownership tags carry. */
  stack?: { name: string; id: string; status?: StackStatus };
  logicalResourceId?: string;
  steps: Record<string, unknown>[];
  /** The sample event put after Create, and the schema discovery made of it. */
  discovery?: DiscoveryReport;
  /** What this run's stack made and is still there. */
  leftovers: string[];
  /** What is there under the run's names but is not this run's: made before it, by hand or by another run. */
  notOurs: string[];
  interrupted: boolean;
  /** Why the run could not complete, in one line; absent when every step ran. */
  problem?: string;
  ok: boolean;
};

const COMPLETE: ReadonlySet<StackStatus> = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'DELETE_COMPLETE']);

/** The resource with the parameters applied; a parameter the template refuses is a usage error (exit 2). */
const readResource = (path: string, flags: string[]): ReturnType<typeof findResource> & { given: string[] } => {
  let template: Template;
  try {
    template = readTemplate(path);
  } catch (error) {
    throw new StopError(`Cannot use ${path}: ${(error as Error).message}`);
  }
  let parameters: ReturnType<typeof readParameters>;
  try {
    parameters = readParameters(flags, template, path);
  } catch (error) {
    if (error instanceof ParameterError) throw new UsageError(error.message);
    throw new StopError(`Cannot use ${path}: ${(error as Error).message}`);
  }
  try {
    return { ...findResource(template, 'Custom::GithubEventBus', parameters.values), given: parameters.given };
  } catch (error) {
    throw new StopError(`Cannot use ${path}: ${(error as Error).message}`);
  }
};

/** Points the SDK's chains (the handler's and the run's own clients) at the endpoint, with local credentials. */
const useEndpoint = (url: string): string => {
  process.env.AWS_ENDPOINT_URL = url;
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  return process.env.AWS_REGION;
};

const stepDocument = (result: StepResult): Record<string, unknown> => ({
  title: result.title,
  role: result.role,
  requestType: result.requestType,
  physicalResourceId: result.physicalResourceId,
  properties: result.properties,
  awsCalls: result.invocation.awsCalls,
  answer: result.invocation.answers[0],
  ms: result.invocation.ms,
  problems: result.problems,
  logs: result.invocation.logs,
});

/**
 * Plays the lifecycle as a stack of its own: each operation through LocalStack (which sends CloudFormation's
 * rollbacks and cleanups), every answer checked; whatever happens, the stack is deleted at the end, as a person
 * would delete a stack that failed; then what this stack made and is still there is reported as left behind.
 */
export const runLifecycle = async (
  { mode, json, template, parameters }: RunOptions,
  report: RunReport,
  finish: (signal: NodeJS.Signals, line: string) => void,
): Promise<void> => {
  const { logicalId, properties, given } = readResource(template, parameters);
  report.logicalResourceId = logicalId;
  let emulator: Emulator | undefined;
  let region: string;
  let accountId: string | undefined;
  if (mode.kind === 'aws') {
    region = await checkAwsAccess();
    // A unique name, unless one is asked for: never collide with (or adopt) a bus that exists in the account.
    if (!given.includes('EventBusName')) {
      properties.EventBusName = `github-event-bus-demo-${randomBytes(4).toString('hex')}`;
    }
    const question = `Create event bus ${properties.EventBusName} and its discoverer in your AWS account (${region})?`;
    if (!mode.yes && !(await confirm(question))) {
      throw new StopError('Not confirmed: nothing was created. (--yes skips the question.)');
    }
    accountId = await accountOf();
  } else if (mode.kind === 'endpoint') {
    await checkEndpointAnswers(mode.url);
    region = useEndpoint(mode.url);
  } else {
    // The discoverer's rule outlives it for a moment, as on AWS, so the Delete steps show the wait.
    emulator = await startEmulator({ ruleLingerMs: 1_000 });
    region = useEndpoint(emulator.url);
  }
  const { handler } = require(await ensureBundle()) as { handler: CfnHandler };
  const cloudFormation = new LocalCloudFormation(handler, { region, ...(accountId ? { accountId } : {}) });
  const stackReport: NonNullable<RunReport['stack']> = { name: cloudFormation.stackName, id: cloudFormation.stackId };
  report.stack = stackReport;
  await cloudFormation.start();

  const results: StepResult[] = [];
  let current: Operation | undefined;
  const stack = new LocalStack(cloudFormation, logicalId, (request: AnsweredRequest) => {
    const { title, expect } = request.role === 'operation' && current ? current : followUp(request);
    const result = { ...request, title, problems: checkAnswer(request, expect, request.invocation) };
    results.push(result);
    if (!json) printStep(result, results.length - 1);
  });
  let phase: RunState['phase'] = 'running';
  interruption.configure(() => {
    const request = stack.inFlight;
    const title = request && (request.role === 'operation' && current ? current.title : followUp(request).title);
    const id = request?.physicalResourceId ?? request?.properties.EventBusName;
    return {
      phase,
      ...(title ? { inFlight: `${title} (${id})` } : {}),
      holds: stack.resource ? [stack.resource.id] : [],
      outlives: mode.kind !== 'embedded',
    };
  }, finish);

  const operations = lifecycleOperations(properties);
  let completed = 0;
  try {
    for (const operation of operations) {
      if (interruption.signal) break;
      current = operation;
      const before = results.length;
      const { status } =
        operation.action === 'create'
          ? await stack.create(operation.properties)
          : operation.action === 'update'
            ? await stack.update(operation.properties)
            : await stack.delete();
      stackReport.status = status;
      if (!COMPLETE.has(status) || results.slice(before).some((result) => result.problems.length > 0)) break;
      completed += 1;
      // While discovery is STARTED (after Create): put a sample event and show the schema it was inferred into.
      if (operation.action === 'create' && !interruption.signal) {
        const where = { kind: mode.kind, endpoint: process.env.AWS_ENDPOINT_URL };
        report.discovery = await discoverSampleEvent(where, operation.properties);
        if (!json) printDiscovery(report.discovery);
      }
    }
  } finally {
    if (stack.resource) {
      phase = 'cleaning up';
      current = { title: 'Delete the stack (cleanup)', action: 'delete', expect: {} };
      if (!json)
        console.log(`\nDeleting this run's stack ${cloudFormation.stackName}, which holds ${stack.resource.id}:`);
      stackReport.status = (await stack.delete()).status;
    }
    phase = 'checking';
    await cloudFormation.stop();
  }
  report.steps = results.map(stepDocument);

  const names = [...new Set(results.map((result) => String(result.properties.EventBusName)))];
  let found: Found[] = [];
  let checked = false;
  try {
    found = await findByName(names, { stackId: cloudFormation.stackId, logicalId });
    checked = true;
  } catch (error) {
    report.problem = `Could not check what is left of ${names.join(', ')}: ${(error as Error).message}`;
  } finally {
    await emulator?.close();
  }
  report.interrupted = interruption.signal !== undefined;
  const outcome = summarize({
    results,
    found,
    names,
    completed,
    operations: operations.length,
    signal: interruption.signal,
    stackId: cloudFormation.stackId,
    endpoint: mode.kind === 'endpoint' ? mode.url : undefined,
    embedded: emulator !== undefined,
  });
  report.leftovers = outcome.leftovers;
  report.notOurs = outcome.notOurs;
  report.ok = outcome.ok && !report.problem;
  report.problem ??= outcome.problem;
  if (!json && checked) console.log(`\n${outcome.lines.join('\n')}`);
};
