// npm run e2e's walk through a real account: a test stack of Custom::GithubEventBus, created, updated, renamed,
// rolled back and deleted through CloudFormation and the deployed provider, each step checked against what
// EventBridge and Schemas hold. The deployed function runs under its own role, so this is its real-IAM check too.
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { explainAwsFailure } from '../lib/aws-access';
import { type AccountClients, checkBus, checkGone } from './checks';
import { CannotRunError, findProvider, type Provider } from './provider';
import { type OperationResult, StackOperations, type Waiting } from './stack-operations';
import { BREAKER_LOGICAL_ID, type BusSpec, testStackTemplate } from './test-stack';

export type E2eRun = {
  clients: AccountClients & { cloudFormation: CloudFormationClient };
  providerStack: string;
  region: string;
  /** github-event-bus-e2e-<random>: the test stack, and its bus. */
  stackName: string;
  yes: boolean;
  confirm(question: string): Promise<boolean>;
  say(line: string): void;
  /** The signal that asked the run to stop, if one did: the current step ends, then the stack is deleted. */
  interrupted(): string | undefined;
  waiting: Waiting;
};

export type StepReport = { title: string; status: string; ok: boolean; ms: number; problems: string[] };

export type E2eReport = {
  provider?: Provider;
  steps: StepReport[];
  /** What is still in the account after the cleanup: stacks, buses, discoverers. */
  leftBehind: string[];
  interrupted?: string;
  /** Why the run could not start, in one line; nothing was created then. */
  problem?: string;
  ok: boolean;
};

type Step = {
  title: string;
  operation: 'CreateStack' | 'UpdateStack' | 'DeleteStack';
  run(stack: StackOperations): Promise<OperationResult>;
  status: string;
  /** What must exist afterwards; nothing after the Delete. */
  expect?: BusSpec;
  /** Names of buses that must be gone afterwards, by the discoverer ids seen so far. */
  gone?: string[];
  /** What the step's line says when they are. */
  goneSays?: string;
  /** The resource whose failure the step is about, and the start of its reason. */
  failure?: { logicalId: string; reason: string };
};

/** The specs of the walk: create, update in place, rename, an update that is rolled back, and delete. */
export const e2eSteps = (stackName: string, exportName: string): Step[] => {
  const app = 'github-event-bus-e2e';
  const created: BusSpec = { name: stackName, state: 'STARTED', tags: { app, 'e2e-step': 'create' } };
  const updated: BusSpec = {
    ...created,
    state: 'STOPPED',
    tags: { app, 'e2e-step': 'update', team: 'platform' },
    logConfig: { Level: 'ERROR', IncludeDetail: 'FULL' },
  };
  const renamed: BusSpec = { ...updated, name: `${stackName}-renamed` };
  const refused: BusSpec = {
    ...renamed,
    state: 'STARTED',
    tags: { app, 'e2e-step': 'failed-update' },
    logConfig: { Level: 'INFO', IncludeDetail: 'NONE' },
  };
  const template = (spec: BusSpec, breaker = false) => testStackTemplate(spec, exportName, { breaker });
  return [
    {
      title: 'Create',
      operation: 'CreateStack',
      run: (stack) => stack.create(template(created)),
      status: 'CREATE_COMPLETE',
      expect: created,
    },
    {
      title: 'Update: stop discovery, tags, LogConfig',
      operation: 'UpdateStack',
      run: (stack) => stack.update(template(updated)),
      status: 'UPDATE_COMPLETE',
      expect: updated,
    },
    {
      title: 'Update: rename (replacement)',
      operation: 'UpdateStack',
      run: (stack) => stack.update(template(renamed)),
      status: 'UPDATE_COMPLETE',
      expect: renamed,
      gone: [created.name],
      goneSays: 'replaced bus and discoverer gone',
    },
    {
      title: 'Update failing on a second resource',
      operation: 'UpdateStack',
      run: (stack) => stack.update(template(refused, true)),
      status: 'UPDATE_ROLLBACK_COMPLETE',
      // Rolled back: the bus as the rename left it.
      expect: renamed,
      failure: { logicalId: BREAKER_LOGICAL_ID, reason: 'Invalid properties' },
    },
    {
      title: 'Delete',
      operation: 'DeleteStack',
      run: (stack) => stack.delete(),
      status: 'DELETE_COMPLETE',
      gone: [created.name, renamed.name],
      goneSays: 'buses and discoverers gone',
    },
  ];
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const duration = (ms: number): string =>
  ms < 60_000 ? seconds(ms) : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;

/** The problems of one operation's result: its end status, the failures in it, and the one it is about. */
const resultProblems = (step: Step, result: OperationResult): string[] => {
  const problems = result.status === step.status ? [] : [`stack ${result.status}, expected ${step.status}`];
  const expected = step.failure;
  const about = expected && result.failures.find((failure) => failure.logicalId === expected.logicalId);
  if (expected && !about?.reason.includes(expected.reason)) {
    problems.push(`${expected.logicalId} did not fail with "${expected.reason}"`);
  }
  for (const failure of result.failures) {
    if (failure !== about && (!expected || result.status !== step.status)) {
      problems.push(`${failure.logicalId} ${failure.status}: ${failure.reason}`);
    }
  }
  return problems;
};

export const runE2e = async (run: E2eRun): Promise<E2eReport> => {
  const report: E2eReport = { steps: [], leftBehind: [], ok: false };
  const { clients, say, waiting } = run;
  try {
    report.provider = await findProvider(clients.cloudFormation, run.providerStack, run.region);
  } catch (error) {
    if (!(error instanceof CannotRunError)) throw error;
    report.problem = `npm run e2e: ${error.message}. Nothing was created.`;
    return report;
  }
  const { provider } = report;
  say(
    `npm run e2e: provider stack ${provider.stackName} (account ${provider.accountId}, ${run.region}), ` +
      `test stack ${run.stackName}`,
  );
  const question =
    `Create stack ${run.stackName} (one Custom::GithubEventBus: an event bus and a discoverer) in account ` +
    `${provider.accountId} (${run.region}) with ${provider.exportName}, and delete it at the end?`;
  if (!run.yes && !(await run.confirm(question))) {
    report.problem = 'Not confirmed: nothing was created. (--yes skips the question.)';
    return report;
  }

  const stack = new StackOperations(clients.cloudFormation, run.stackName, waiting);
  const steps = e2eSteps(run.stackName, provider.exportName);
  const discoverers = new Map<string, string>();
  let deleted = false;
  const started = waiting.now();
  try {
    for (const [index, step] of steps.entries()) {
      if (run.interrupted()) break;
      const stepStarted = waiting.now();
      let status = 'not started';
      const problems: string[] = [];
      const seen: string[] = [];
      try {
        const result = await step.run(stack);
        status = result.status;
        deleted ||= result.status === 'DELETE_COMPLETE';
        problems.push(...resultProblems(step, result));
        if (step.failure && problems.length === 0) seen.push(`${step.failure.logicalId} failed, rolled back`);
        if (step.expect && result.status === step.status) {
          const checked = await checkBus(clients, step.expect, result.outputs, String(stack.stackId));
          problems.push(...checked.problems);
          seen.push(checked.summary);
          if (result.outputs.DiscovererId) discoverers.set(step.expect.name, result.outputs.DiscovererId);
        }
        const gone = step.gone ?? [];
        const left = await checkGone(
          clients,
          gone,
          gone.flatMap((name) => discoverers.get(name) ?? []),
        );
        problems.push(...left);
        if (step.goneSays && left.length === 0) seen.push(step.goneSays);
      } catch (error) {
        problems.push(explainAwsFailure(error, step.operation));
      }
      const ms = waiting.now() - stepStarted;
      const ok = problems.length === 0;
      report.steps.push({ title: step.title, status, ok, ms, problems });
      const line = `  ${index + 1}. ${step.title.padEnd(39)} ${status.padEnd(24)} ${ok ? 'ok  ' : 'FAIL'} ${seconds(ms).padStart(7)}`;
      say(ok ? `${line}  ${seen.join('; ')}` : line);
      for (const problem of problems) say(`       ${problem}`);
      if (!ok) break;
    }
  } finally {
    report.interrupted = run.interrupted();
    if (stack.stackId && !deleted) {
      say(`  cleanup: deleting ${run.stackName}`);
      const result = await stack.delete().catch((error: unknown) => ({
        status: explainAwsFailure(error, 'DeleteStack'),
        failures: [],
        outputs: {},
      }));
      if (result.status !== 'DELETE_COMPLETE') {
        const why = result.failures.map((failure) => `${failure.logicalId}: ${failure.reason}`).join('; ');
        report.leftBehind.push(`stack ${run.stackName} (${result.status}${why ? `: ${why}` : ''})`);
      }
    }
    const names = steps.flatMap((step) => (step.expect ? [step.expect.name] : []));
    const buses = [...new Set(names)];
    report.leftBehind.push(
      ...(await checkGone(clients, buses, [...discoverers.values()]).catch((error: unknown) => [
        `could not check what is left: ${explainAwsFailure(error, 'DescribeEventBus')}`,
      ])),
    );
  }
  const passed = report.steps.filter((step) => step.ok).length;
  report.ok = !report.interrupted && passed === steps.length && report.leftBehind.length === 0;
  const ending = report.interrupted ? `interrupted (${report.interrupted})` : report.ok ? 'PASS' : 'FAIL';
  const hint = report.leftBehind.some((what) => what.startsWith('stack '))
    ? ` (delete with aws cloudformation delete-stack --stack-name ${run.stackName})`
    : '';
  const left =
    report.leftBehind.length === 0
      ? 'the test stack and everything it made are gone'
      : `left behind: ${report.leftBehind.join(', ')}${hint}`;
  say(`Summary: ${passed} of ${steps.length} steps passed in ${duration(waiting.now() - started)}; ${left}. ${ending}`);
  return report;
};
