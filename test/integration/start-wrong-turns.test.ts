import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeAws, startFakeAws } from '../support/fake-aws';
import { problemLines, root, run, stopChildren } from './start-process';

const scratch = mkdtempSync(join(tmpdir(), 'start-wrong-turns-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(stopChildren);

// Only what a shell needs to start node: no AWS variables, no home with ~/.aws in it.
const emptyEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: scratch,
  ...extra,
});

/** template.yaml with a bus name the resource refuses: the Create fails before any AWS call. */
const badNameTemplate = (): string => {
  const template = join(scratch, 'bad-name.yaml');
  const text = readFileSync(join(root, 'template.yaml'), 'utf8');
  writeFileSync(template, text.replace(/Default: github-actions-event-bus$/m, 'Default: bad/name'));
  expect(readFileSync(template, 'utf8')).toContain('Default: bad/name');
  return template;
};

describe('npm start, off the happy road: one line, a non-zero exit', () => {
  it('prints its --json document with ok:false and the problem when nothing answers at --endpoint', async () => {
    // Act
    const { code, stdout, stderr } = await run(['--json', '--endpoint', 'http://127.0.0.1:1']);

    // Assess
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; problem: string; steps: unknown[]; mode: string };
    expect(report).toMatchObject({ ok: false, mode: 'endpoint', steps: [] });
    expect(report.problem).toMatch(/^Nothing answers at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\): start an endpoint/);
    expect(problemLines(stderr)).toEqual([report.problem]);
  });

  it('prints its --json document for a bad flag too, with exit code 2', async () => {
    // Act
    const { code, stdout } = await run(['--json', '--aws-yes']);

    // Assess
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, problem: expect.stringContaining("'--aws-yes'") });
  });

  it('refuses an --endpoint that is not a URL with the flags, exit code 2, before it starts anything', async () => {
    // Act
    const { code, stdout, stderr } = await run(['--endpoint', 'not-a-url']);

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(problemLines(stderr)).toEqual([expect.stringMatching(/^--endpoint must be a URL .*got "not-a-url"/)]);
  });

  it('with --aws and an empty environment, names the missing region and credentials and how to set them', async () => {
    // Act
    const { code, stdout, stderr } = await run(['--aws', '--yes'], emptyEnv());

    // Assess
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const [line, ...more] = problemLines(stderr);
    expect(more).toEqual([]);
    expect(line).toContain('no AWS region: set AWS_REGION');
    expect(line).toContain('no AWS credentials');
    expect(line).toContain('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE');
    expect(line).toMatch(/Nothing was created\.$/);
  });

  it('with --aws and only credentials missing, names only those', async () => {
    // Act
    const { code, stderr } = await run(['--aws', '--yes', '--json'], emptyEnv({ AWS_REGION: 'eu-west-1' }));

    // Assess
    expect(code).toBe(1);
    const [line] = problemLines(stderr);
    expect(line).toContain('no AWS credentials');
    expect(line).not.toContain('no AWS region');
  });

  describe('with --aws --yes and credentials that AWS does not take, or no way to AWS', () => {
    let fake: FakeAws | undefined;
    afterEach(async () => {
      await fake?.close();
      fake = undefined;
    });

    // A region and keys the SDK accepts; AWS_ENDPOINT_URL sends the calls to a loopback stand-in for AWS.
    const awsEnv = (endpoint: string) =>
      emptyEnv({
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_ENDPOINT_URL: endpoint,
        AWS_MAX_ATTEMPTS: '1',
      });

    it.each([
      [
        'expired',
        {
          status: 400,
          code: 'ExpiredTokenException',
          message: 'The security token included in the request is expired',
        },
        /^--aws: the AWS credentials have expired \(DescribeEventBus: ExpiredTokenException: .*\): refresh them/,
      ],
      [
        'refused',
        {
          status: 400,
          code: 'UnrecognizedClientException',
          message: 'The security token included in the request is invalid.',
        },
        /^--aws: AWS refused the credentials \(DescribeEventBus: UnrecognizedClientException: .*\): check AWS_PROFILE/,
      ],
      [
        'not allowed to read the default bus',
        {
          status: 400,
          code: 'AccessDeniedException',
          message: 'User: x is not authorized to perform: events:DescribeEventBus',
        },
        /^--aws: the credentials may not call DescribeEventBus \(AccessDeniedException: /,
      ],
    ])('ends in one line, exit 1, when the credentials are %s', async (_name, answer, line) => {
      // Prepare
      fake = await startFakeAws(answer);

      // Act
      const { code, stdout, stderr } = await run(['--aws', '--yes'], awsEnv(fake.url));

      // Assess
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(problemLines(stderr)).toEqual([expect.stringMatching(line)]);
      expect(problemLines(stderr)[0]).toMatch(/\. Nothing was created\.$/);
      expect(fake.requests).toEqual(['DescribeEventBus']);
    });

    it('ends in one line, exit 1, when nothing answers', async () => {
      // Act
      const { code, stderr } = await run(['--aws', '--yes'], awsEnv('http://127.0.0.1:1'));

      // Assess
      expect(code).toBe(1);
      expect(problemLines(stderr)).toEqual([
        expect.stringMatching(/^--aws: cannot reach AWS \(DescribeEventBus: ECONNREFUSED.*\): check the network/),
      ]);
    });
  });

  it('says so when the --aws question is answered "n", and creates nothing', async () => {
    // Prepare: a region and credentials that are never used (the run stops at the question).
    const env = emptyEnv({ AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'unused', AWS_SECRET_ACCESS_KEY: 'unused' });

    // Act
    const { code, stderr } = await run(['--aws'], env, 'n\n');

    // Assess
    expect(code).toBe(1);
    expect(stderr).toMatch(/Create event bus github-event-bus-demo-[0-9a-f]{8} .*\(eu-west-1\)\? \[y\/N\]/);
    expect(stderr.trim().split('\n').at(-1)).toBe('Not confirmed: nothing was created. (--yes skips the question.)');
  });

  it('shows a failing step’s handler log lines, and its reason names no log group that does not exist', async () => {
    // Prepare
    const template = badNameTemplate();

    // Act
    const { code, stdout } = await run(['--template', template]);

    // Assess
    expect(code).toBe(1);
    expect(stdout).toMatch(/1\. Create {2}NOT ACCEPTED/);
    expect(stdout).toMatch(/handler log +ERROR request failed .*InvalidPropertiesError/);
    expect(stdout).not.toContain('/aws/lambda/');
    expect(stdout).not.toContain('(logs:');
  });

  it('prints the Reason of a failed step once, and no attribute lines for an answer that has none', async () => {
    // Act
    const { stdout, stderr } = await run(['--template', badNameTemplate()]);

    // Assess
    const reason = /^ {3}reason +(Invalid properties: .*)$/m.exec(stdout)?.[1] ?? 'no reason row';
    expect(`${stdout}${stderr}`.split(reason).length - 1).toBe(1);
    expect(stdout).not.toMatch(/attribute \w+ is undefined/);
    expect(problemLines(stderr)).toEqual(['Create was not accepted: answered FAILED (step 1 says why).']);
  });

  it('sends the Delete CloudFormation sends after a failed Create, with the id of the FAILED answer', async () => {
    // Act
    const { stdout } = await run(['--json', '--template', badNameTemplate()]);

    // Assess
    const report = JSON.parse(stdout) as {
      steps: { title: string; requestType: string; physicalResourceId?: string; answer: Record<string, string> }[];
      stack: { name: string; status: string };
    };
    const [create, rollback, ...more] = report.steps;
    expect(more).toEqual([]);
    expect(rollback).toMatchObject({
      title: 'Rollback: Delete after the failed Create',
      requestType: 'Delete',
      physicalResourceId: create?.answer.PhysicalResourceId,
      answer: { Status: 'SUCCESS' },
    });
    expect(report.stack).toMatchObject({ name: expect.stringMatching(/^github-event-bus-local-[0-9a-f]{8}$/) });
    expect(report.stack.status).toBe('ROLLBACK_COMPLETE');
  });
});

describe('the AWS SDK’s Node version warning', () => {
  const olderNode = Number(process.versions.node.split('.')[0]) < 22;

  it(`is ${olderNode ? 'one short line' : 'absent'} on Node ${process.versions.node}, outside the table`, async () => {
    // Prepare: the SDK's own switch unset, as in a user's shell; a run that loads the bundle and makes clients.
    const env = { ...process.env };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;

    // Act
    const { code, stdout, stderr } = await run(['--template', badNameTemplate()], env);

    // Assess
    expect(code).toBe(1);
    expect(`${stdout}${stderr}`).not.toContain('NodeVersionSupportWarning');
    const notes = stderr.split('\n').filter((line) => line.startsWith('Note: Node '));
    expect(notes).toEqual(
      olderNode ? [expect.stringMatching(/the function runs on nodejs\d+\.x\. AWS SDK releases/)] : [],
    );
  });
});
