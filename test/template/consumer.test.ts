import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSUMER_PATH, CUSTOM_RESOURCE_TYPE, loadTemplate, ROOT, TEMPLATE_PATH } from './helpers';

const consumer = loadTemplate(CONSUMER_PATH);
const provider = loadTemplate(TEMPLATE_PATH);
const rule = consumer.Resources.QueuedJobRule;

/** EventBridge matching for the pattern subset the example uses: lists of exact values, nested by field. */
const matches = (pattern: unknown, event: unknown): boolean => {
  if (Array.isArray(pattern)) return pattern.includes(event);
  if (typeof pattern !== 'object' || pattern === null) return false;
  return Object.entries(pattern).every(([key, sub]) =>
    matches(sub, typeof event === 'object' && event !== null ? (event as Record<string, unknown>)[key] : undefined),
  );
};

const subText = (value: unknown): string | undefined => {
  const text = (value as Record<string, unknown> | undefined)?.['Fn::Sub'];
  return typeof text === 'string' ? text : undefined;
};

const workflowJob = (action: string) => ({
  source: 'github.com',
  'detail-type': 'workflow_job',
  detail: { action, workflow_job: { labels: ['self-hosted'] } },
});

describe('examples/consumer.yaml', () => {
  it('is plain CloudFormation, deployable without the SAM transform', () => {
    // Assess
    expect(consumer.Transform).toBeUndefined();
  });

  it('imports the export the provider stack publishes', () => {
    // Prepare
    const token = consumer.Resources.RunnerBus?.Properties?.ServiceToken as Record<string, unknown> | undefined;

    // Act: both name the export `<provider stack name>-ServiceToken`.
    const exported = subText(provider.Outputs?.ServiceToken?.Export?.Name)?.replace(`\${AWS::StackName}`, '<stack>');
    const imported = subText(token?.['Fn::ImportValue'])?.replace(`\${ProviderStackName}`, '<stack>');

    // Assess
    expect({ exported, imported }).toEqual({ exported: '<stack>-ServiceToken', imported: '<stack>-ServiceToken' });
  });

  it('defaults ProviderStackName to the stack name samconfig.toml deploys the provider as', () => {
    // Prepare
    const samconfig = readFileSync(join(ROOT, 'samconfig.toml'), 'utf8');

    // Act
    const stackName = /^stack_name\s*=\s*"([^"]+)"/m.exec(samconfig)?.[1];

    // Assess
    expect(consumer.Parameters?.ProviderStackName?.Default).toBe(stackName);
  });

  it('puts its rule on the bus of the Custom::GithubEventBus', () => {
    // Prepare
    const busRef = (rule?.Properties?.EventBusName as { Ref?: string } | undefined)?.Ref;

    // Assess
    expect(consumer.Resources[String(busRef)]?.Type).toBe(CUSTOM_RESOURCE_TYPE);
  });

  it('matches queued workflow_job events', () => {
    // Assess
    expect(matches(rule?.Properties?.EventPattern, workflowJob('queued'))).toBe(true);
  });

  it.each(['in_progress', 'completed', 'waiting'])('does not match workflow_job events with action %s', (action) => {
    // Assess
    expect(matches(rule?.Properties?.EventPattern, workflowJob(action))).toBe(false);
  });

  it('lets only its rule send to the target queue', () => {
    // Prepare
    const [target] = (rule?.Properties?.Targets ?? []) as { Arn: unknown }[];
    const policy = consumer.Resources.QueuedJobsPolicy?.Properties?.PolicyDocument as { Statement: unknown[] };

    // Assess
    expect(target?.Arn).toEqual({ 'Fn::GetAtt': ['QueuedJobs', 'Arn'] });
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: target?.Arn,
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['QueuedJobRule', 'Arn'] } } },
      }),
    ]);
  });

  describe('bus policy for another account', () => {
    const policy = consumer.Resources.SenderAccountPolicy;
    const statement = policy?.Properties?.Statement as Record<string, unknown> | undefined;
    const parameter = consumer.Parameters?.SenderAccountId;

    it('is a native AWS::Events::EventBusPolicy on the Custom::GithubEventBus, referenced by !Ref', () => {
      // Prepare
      const busRef = (policy?.Properties?.EventBusName as { Ref?: string } | undefined)?.Ref;

      // Assess
      expect(policy?.Type).toBe('AWS::Events::EventBusPolicy');
      expect(consumer.Resources[String(busRef)]?.Type).toBe(CUSTOM_RESOURCE_TYPE);
    });

    it('lets exactly the account of the SenderAccountId parameter put events on that bus', () => {
      // Assess
      expect(statement).toEqual({
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${SenderAccountId}:root` } },
        Action: 'events:PutEvents',
        Resource: { 'Fn::GetAtt': ['RunnerBus', 'EventBusArn'] },
      });
    });

    it('uses only the properties the registry schema does not deprecate (Statement, not Principal/Action)', () => {
      // Assess
      expect(Object.keys(policy?.Properties ?? {}).sort()).toEqual(['EventBusName', 'Statement', 'StatementId']);
    });

    it('has a StatementId the registry schema accepts for any account id', () => {
      // Prepare
      const template = subText(policy?.Properties?.StatementId);

      // Act
      const statementId = template?.replace(`\${SenderAccountId}`, '123456789012');

      // Assess
      expect(statementId).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
    });

    it('exists only when SenderAccountId is set, which is a 12-digit account id or empty', () => {
      // Prepare
      const pattern = new RegExp(String(parameter?.AllowedPattern));

      // Assess
      expect(parameter?.Default).toBe('');
      expect(consumer.Conditions?.[String(policy?.Condition)]).toEqual({
        'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'SenderAccountId' }, ''] }],
      });
      expect(['123456789012', ''].filter((value) => pattern.test(value))).toEqual(['123456789012', '']);
      expect(['12345678901', '1234567890123', 'abcdefghijkl'].filter((value) => pattern.test(value))).toEqual([]);
    });
  });
});
