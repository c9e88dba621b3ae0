import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { explainAwsFailure } from '../lib/aws-access';

/** The deployed provider the test stack imports its ServiceToken from. */
export type Provider = { stackName: string; exportName: string; serviceToken: string; accountId: string };

/** Why the run cannot start: one line, and nothing was created. */
export class CannotRunError extends Error {
  override readonly name = 'CannotRunError';
}

// CloudFormation answers a DescribeStacks for a stack that is not there with a ValidationError saying so.
const MISSING = /does not exist/i;

/** The provider stack's ServiceToken export (template.yaml's Outputs.ServiceToken) and the account it is in. */
export const findProvider = async (
  cloudFormation: CloudFormationClient,
  stackName: string,
  region: string,
): Promise<Provider> => {
  const stacks = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName })).then(
    (output) => output.Stacks ?? [],
    (error: unknown) => {
      if (error instanceof Error && error.name === 'ValidationError' && MISSING.test(error.message)) return [];
      throw new CannotRunError(explainAwsFailure(error, 'DescribeStacks'));
    },
  );
  const stack = stacks[0];
  if (!stack) {
    throw new CannotRunError(
      `no stack ${stackName} in ${region}: deploy the provider first (sam build && sam deploy), or name its stack` +
        ' with --stack NAME',
    );
  }
  const output = stack.Outputs?.find((candidate) => candidate.OutputKey === 'ServiceToken');
  if (!output?.ExportName || !output.OutputValue) {
    throw new CannotRunError(
      `stack ${stackName} (${stack.StackStatus}) has no exported ServiceToken output: is it the provider's stack` +
        ' (template.yaml), fully deployed?',
    );
  }
  const accountId = String(stack.StackId).split(':')[4] ?? '';
  return { stackName, exportName: output.ExportName, serviceToken: output.OutputValue, accountId };
};
