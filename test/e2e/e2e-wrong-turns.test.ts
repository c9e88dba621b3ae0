// npm run e2e's wrong turns, as a person meets them: each ends in one line saying what to do, exit 1 (2 for a flag),
// before anything is created. AWS is a loopback stand-in (AWS_ENDPOINT_URL) answering the error of each case.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { type AwsErrorAnswer, startFakeAws } from '../support/fake-aws';

const root = join(__dirname, '..', '..');

/**
 * scripts/e2e.ts in one process with only the environment given: no AWS configuration of this machine. Started
 * asynchronously, so the loopback stand-in in this process can answer it.
 */
const e2e = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/e2e.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: join(root, 'no-such-home'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const [status] = (await once(child, 'close')) as [number | null];
  const lines = stderr.split('\n').filter((line) => line !== '' && !line.startsWith('Note: Node '));
  return { status, stdout, lines };
};

const account = (endpoint: string): NodeJS.ProcessEnv => ({
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_ENDPOINT_URL: endpoint,
  AWS_MAX_ATTEMPTS: '1',
});

describe('npm run e2e off the happy road', () => {
  it('needs --aws, and says so in one line with exit 2', async () => {
    // Act
    const { status, lines } = await e2e([]);

    // Assess
    expect(status).toBe(2);
    expect(lines).toEqual([
      expect.stringMatching(/^npm run e2e runs only against a real AWS account: npm run e2e -- --aws/),
    ]);
  });

  it('refuses a --stack that no stack could be named, exit 2', async () => {
    // Act
    const { status, lines } = await e2e(['--aws', '--stack', 'not a stack']);

    // Assess
    expect(status).toBe(2);
    expect(lines).toEqual([expect.stringContaining('--stack must be a CloudFormation stack name, got "not a stack"')]);
  });

  it('with --aws --yes and no account at all, names the missing region and credentials', async () => {
    // Act
    const { status, stdout, lines } = await e2e(['--aws', '--yes']);

    // Assess
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(lines).toEqual([
      expect.stringMatching(/^npm run e2e: no AWS region: set AWS_REGION.*no AWS credentials.*Nothing was created\.$/),
    ]);
  });

  it('says that nothing answers when there is no network', async () => {
    // Act
    const { status, lines } = await e2e(['--aws', '--yes'], account('http://127.0.0.1:1'));

    // Assess
    expect(status).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(/^npm run e2e: cannot reach AWS \(DescribeStacks: ECONNREFUSED\): check the network/),
    ]);
  });

  it.each<[string, AwsErrorAnswer, RegExp]>([
    [
      'expired credentials',
      { status: 403, code: 'ExpiredToken', message: 'The security token included in the request is expired' },
      /^npm run e2e: the AWS credentials have expired \(DescribeStacks: ExpiredToken: .*\): refresh them/,
    ],
    [
      'refused credentials',
      { status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' },
      /^npm run e2e: AWS refused the credentials \(DescribeStacks: InvalidClientTokenId: /,
    ],
    [
      'credentials that may not read stacks',
      {
        status: 403,
        code: 'AccessDenied',
        message: 'User: x is not authorized to perform: cloudformation:DescribeStacks',
      },
      /^npm run e2e: the credentials may not call DescribeStacks \(AccessDenied: /,
    ],
    [
      'no provider stack',
      { status: 400, code: 'ValidationError', message: 'Stack with id github-event-bus does not exist' },
      /^npm run e2e: no stack github-event-bus in eu-west-1: deploy the provider first \(sam build && sam deploy\), or name its stack with --stack NAME\./,
    ],
  ])('ends in one line, exit 1, with %s', async (_name, answer, line) => {
    // Prepare
    const fake = await startFakeAws(answer);

    try {
      // Act
      const { status, stdout, lines } = await e2e(['--aws', '--yes'], account(fake.url));

      // Assess
      expect(status).toBe(1);
      expect(stdout).toBe('');
      expect(lines).toEqual([expect.stringMatching(line)]);
      expect(lines[0]).toMatch(/Nothing was created\.$/);
      expect(fake.requests).toEqual(['DescribeStacks']);
    } finally {
      await fake.close();
    }
  });
});
