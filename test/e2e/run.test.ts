// npm run e2e's walk (scripts/e2e/run.ts) against a stand-in account (aws-sdk-client-mock): its flow, what it
// checks after each stack operation, and how it ends when something goes wrong, always deleting the test stack.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchemasClient } from '@aws-sdk/client-schemas';
import { type E2eRun, runE2e } from '../../scripts/e2e/run';
import { typeScriptFiles } from '../../scripts/lib/sdk-imports';
import { ACCOUNT, cloudFormation, EXPORT, FakeAccount, PROVIDER, REGION } from './fake-account';

const STACK = 'github-event-bus-e2e-0a1b2c3d';

let account: FakeAccount;
let lines: string[];
let signal: string | undefined;
let clock: number;

beforeEach(() => {
  account = new FakeAccount();
  lines = [];
  signal = undefined;
  clock = 0;
});

/** One run, as scripts/e2e.ts starts it, with a clock that moves only when the run waits. */
const run = (overrides: Partial<E2eRun> = {}) =>
  runE2e({
    clients: {
      cloudFormation: new CloudFormationClient({ region: REGION }),
      events: new EventBridgeClient({ region: REGION }),
      schemas: new SchemasClient({ region: REGION }),
    },
    providerStack: PROVIDER,
    region: REGION,
    stackName: STACK,
    yes: true,
    confirm: async () => true,
    say: (line) => lines.push(line),
    interrupted: () => signal,
    waiting: {
      pollMs: 5_000,
      timeoutMs: 60_000,
      sleep: async (ms) => {
        clock += ms;
      },
      now: () => clock,
    },
    ...overrides,
  });

const templateOf = (command: typeof CreateStackCommand | typeof UpdateStackCommand, call = 0) =>
  JSON.parse(String(cloudFormation.commandCalls(command)[call]?.args[0].input.TemplateBody));

describe('npm run e2e against an account where everything works', () => {
  it('passes all five steps and leaves nothing behind', async () => {
    // Act
    const report = await run();

    // Assess
    expect(report.steps.map((step) => [step.title, step.status, step.ok])).toEqual([
      ['Create', 'CREATE_COMPLETE', true],
      ['Update: stop discovery, tags, LogConfig', 'UPDATE_COMPLETE', true],
      ['Update: rename (replacement)', 'UPDATE_COMPLETE', true],
      ['Update failing on a second resource', 'UPDATE_ROLLBACK_COMPLETE', true],
      ['Delete', 'DELETE_COMPLETE', true],
    ]);
    expect(report).toMatchObject({ ok: true, leftBehind: [] });
    expect(account.buses.size).toBe(0);
  });

  it('prints a header, one line per step with its status and time, and a summary', async () => {
    // Act
    await run();

    // Assess
    expect(lines[0]).toBe(
      `npm run e2e: provider stack ${PROVIDER} (account ${ACCOUNT}, ${REGION}), test stack ${STACK}`,
    );
    expect(lines.slice(1, 6)).toEqual([
      expect.stringMatching(
        /^ {2}1\. Create +CREATE_COMPLETE +ok +\d+\.\d s {2}discoverer STARTED, rule ENABLED, 2 tags, LogConfig OFF\/NONE, 8 outputs$/,
      ),
      expect.stringMatching(
        /^ {2}2\. Update: stop discovery, tags, LogConfig UPDATE_COMPLETE +ok +\d+\.\d s {2}discoverer STOPPED, rule present, 3 tags, LogConfig ERROR\/FULL/,
      ),
      expect.stringMatching(
        /^ {2}3\. Update: rename \(replacement\) +UPDATE_COMPLETE +ok .*; replaced bus and discoverer gone$/,
      ),
      expect.stringMatching(
        /^ {2}4\. Update failing on a second resource +UPDATE_ROLLBACK_COMPLETE +ok .* {2}Breaker failed, rolled back; /,
      ),
      expect.stringMatching(/^ {2}5\. Delete +DELETE_COMPLETE +ok +\d+\.\d s {2}buses and discoverers gone$/),
    ]);
    expect(lines.at(-1)).toMatch(
      /^Summary: 5 of 5 steps passed in \d+\.\d s; the test stack and everything it made are gone\. PASS$/,
    );
    expect(lines).toHaveLength(7);
  });

  it('imports the provider’s ServiceToken export, and adds the failing second resource only in step 4', async () => {
    // Act
    await run();

    // Assess
    const created = templateOf(CreateStackCommand);
    expect(created.Resources.Bus.Properties.ServiceToken).toEqual({ 'Fn::ImportValue': EXPORT });
    expect(created.Resources.Bus.Properties.EventBusName).toBe(STACK);
    expect(Object.keys(created.Outputs).sort()).toEqual(
      [
        'BusRef',
        'CrossAccount',
        'DiscovererArn',
        'DiscovererId',
        'DiscovererState',
        'EventBusArn',
        'EventBusName',
        'SchemaRegistryName',
      ].sort(),
    );
    expect([0, 1, 2].map((call) => 'Breaker' in templateOf(UpdateStackCommand, call).Resources)).toEqual([
      false,
      false,
      true,
    ]);
    expect(templateOf(UpdateStackCommand, 1).Resources.Bus.Properties.EventBusName).toBe(`${STACK}-renamed`);
  });

  it('starts every stack operation with a token of its own', async () => {
    // Act
    await run();

    // Assess
    const tokens = [CreateStackCommand, UpdateStackCommand, DeleteStackCommand].flatMap((command) =>
      cloudFormation.commandCalls(command).map((call) => call.args[0].input.ClientRequestToken),
    );
    expect(new Set(tokens).size).toBe(5);
  });
});

describe('npm run e2e before it creates anything', () => {
  it('asks, and creates nothing on "no"', async () => {
    // Prepare
    const questions: string[] = [];

    // Act
    const report = await run({
      yes: false,
      confirm: async (question) => {
        questions.push(question);
        return false;
      },
    });

    // Assess
    expect(questions).toEqual([
      `Create stack ${STACK} (one Custom::GithubEventBus: an event bus and a discoverer) in account ${ACCOUNT} ` +
        `(${REGION}) with ${EXPORT}, and delete it at the end?`,
    ]);
    expect(report.problem).toBe('Not confirmed: nothing was created. (--yes skips the question.)');
    expect(cloudFormation).not.toHaveReceivedCommand(CreateStackCommand);
  });

  it('says in one line that the provider stack is missing, and how to deploy it', async () => {
    // Prepare
    cloudFormation
      .on(DescribeStacksCommand, { StackName: 'nope' })
      .rejects(Object.assign(new Error('Stack with id nope does not exist'), { name: 'ValidationError' }));

    // Act
    const report = await run({ providerStack: 'nope' });

    // Assess
    expect(report.problem).toBe(
      `npm run e2e: no stack nope in ${REGION}: deploy the provider first (sam build && sam deploy), or name its ` +
        'stack with --stack NAME. Nothing was created.',
    );
    expect(report.ok).toBe(false);
    expect(cloudFormation).not.toHaveReceivedCommand(CreateStackCommand);
  });

  it('says so when the stack has no exported ServiceToken (not the provider)', async () => {
    // Prepare
    cloudFormation.on(DescribeStacksCommand, { StackName: 'other' }).resolves({
      Stacks: [
        { StackName: 'other', StackId: 'x', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(), Outputs: [] },
      ],
    });

    // Act
    const report = await run({ providerStack: 'other' });

    // Assess
    expect(report.problem).toMatch(/^npm run e2e: stack other \(CREATE_COMPLETE\) has no exported ServiceToken/);
  });

  it('names expired credentials in one line', async () => {
    // Prepare
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(
        Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' }),
      );

    // Act
    const report = await run();

    // Assess
    expect(report.problem).toMatch(/^npm run e2e: the AWS credentials have expired \(DescribeStacks: ExpiredToken: /);
    expect(report.problem).toMatch(/Nothing was created\.$/);
  });
});

describe('npm run e2e when a step goes wrong', () => {
  it('fails the step whose bus is not as the stack says, stops there and deletes the stack', async () => {
    // Prepare
    account.bend.ignoreStop = true;

    // Act
    const report = await run();

    // Assess
    expect(report.steps.map((step) => step.ok)).toEqual([true, false]);
    expect(report.steps[1]?.problems).toEqual([
      'discoverer is STARTED, expected STOPPED',
      'output DiscovererState is "STARTED", the account says STOPPED',
    ]);
    expect(lines).toContain('       discoverer is STARTED, expected STOPPED');
    expect(lines).toContain(`  cleanup: deleting ${STACK}`);
    expect(cloudFormation).toHaveReceivedCommandTimes(DeleteStackCommand, 1);
    expect(report).toMatchObject({ ok: false, leftBehind: [] });
    expect(lines.at(-1)).toMatch(
      /^Summary: 1 of 5 steps passed in .*; the test stack and everything it made are gone\. FAIL$/,
    );
  });

  it('fails the rename when the replaced bus is still there', async () => {
    // Prepare
    account.bend.keepReplacedBus = true;

    // Act
    const report = await run();

    // Assess
    expect(report.steps[2]?.problems).toEqual([
      `bus ${STACK} is still there`,
      `discoverer events-event-bus-${STACK} is still there`,
    ]);
  });

  it('fails step 4 when the second resource does not fail and nothing rolls back', async () => {
    // Prepare
    account.bend.breakerSucceeds = true;

    // Act
    const report = await run();

    // Assess
    expect(report.steps[3]?.problems).toEqual([
      'stack UPDATE_COMPLETE, expected UPDATE_ROLLBACK_COMPLETE',
      'Breaker did not fail with "Invalid properties"',
    ]);
  });

  it('fails a step whose operation AWS refuses, in one line, and has nothing to delete after a refused Create', async () => {
    // Prepare
    cloudFormation.on(CreateStackCommand).rejects(
      Object.assign(new Error('User: x is not authorized to perform: cloudformation:CreateStack'), {
        name: 'AccessDenied',
      }),
    );

    // Act
    const report = await run();

    // Assess
    expect(report.steps).toEqual([
      expect.objectContaining({
        title: 'Create',
        status: 'not started',
        ok: false,
        problems: [expect.stringMatching(/^the credentials may not call CreateStack \(AccessDenied: /)],
      }),
    ]);
    expect(cloudFormation).not.toHaveReceivedCommand(DeleteStackCommand);
  });

  it('gives up on an operation that does not end within its time, and still deletes the stack', async () => {
    // Prepare
    account.bend.hang = true;

    // Act
    const report = await run();

    // Assess
    expect(report.steps[0]?.problems).toEqual([
      `CreateStack failed: OperationTimeoutError: ${STACK} did not finish within 1 min`,
    ]);
    expect(cloudFormation).toHaveReceivedCommandTimes(DeleteStackCommand, 1);
  });

  it('reports a stack the cleanup could not delete, with its reason and the command to delete it', async () => {
    // Prepare
    account.bend.ignoreStop = true;
    account.bend.deleteFails = 'Event bus x can’t be deleted while it has rules: queued-jobs.';

    // Act
    const report = await run();

    // Assess
    expect(report.leftBehind).toEqual([
      `stack ${STACK} (DELETE_FAILED: Bus: Event bus x can’t be deleted while it has rules: queued-jobs.)`,
      `bus ${STACK} is still there`,
      `discoverer events-event-bus-${STACK} is still there`,
    ]);
    expect(lines.at(-1)).toContain(`(delete with aws cloudformation delete-stack --stack-name ${STACK})`);
  });
});

describe('npm run e2e on Ctrl-C', () => {
  it('ends the current step, skips the rest, deletes the stack and says it was interrupted', async () => {
    // Prepare: the signal arrives while step 1 runs.
    cloudFormation.on(CreateStackCommand).callsFake(async (input) => {
      signal = 'SIGINT';
      return (account as unknown as { createStack(i: unknown): unknown }).createStack(input);
    });

    // Act
    const report = await run();

    // Assess
    expect(report.steps.map((step) => step.title)).toEqual(['Create']);
    expect(report).toMatchObject({ interrupted: 'SIGINT', ok: false, leftBehind: [] });
    expect(cloudFormation).toHaveReceivedCommandTimes(DeleteStackCommand, 1);
    expect(lines.at(-1)).toMatch(
      /^Summary: 1 of 5 steps passed in .*; the test stack and everything it made are gone\. interrupted \(SIGINT\)$/,
    );
  });
});

describe('the CloudFormation client', () => {
  it('is a devDependency that nothing under handler/ imports, so it stays out of the bundle', () => {
    // Prepare
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };

    // Act
    const importers = typeScriptFiles(join(__dirname, '..', '..', 'handler')).filter((file) =>
      readFileSync(file, 'utf8').includes('@aws-sdk/client-cloudformation'),
    );

    // Assess
    expect(Object.keys(manifest.dependencies)).not.toContain('@aws-sdk/client-cloudformation');
    expect(manifest.devDependencies['@aws-sdk/client-cloudformation']).toBe(
      manifest.dependencies['@aws-sdk/client-eventbridge'],
    );
    expect(importers).toEqual([]);
  });
});
