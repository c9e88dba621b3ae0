import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

/**
 * The region and credentials of the SDK's default chains, found without an AWS call: the region, and one
 * sentence saying what to set for each that is missing.
 */
export const findAwsAccess = async (): Promise<{ region?: string; missing: string[] }> => {
  const client = new EventBridgeClient({});
  try {
    const region = await client.config.region().catch(() => undefined);
    const credentials = await client.config.credentials().then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    const missing: string[] = [];
    if (!region) {
      // The AWS CLI reads AWS_DEFAULT_REGION; the SDK for JavaScript does not.
      const cliOnly = process.env.AWS_DEFAULT_REGION ? ' (AWS_DEFAULT_REGION is read by the AWS CLI only)' : '';
      missing.push(
        `no AWS region: set AWS_REGION (export AWS_REGION=us-east-1) or a region in ~/.aws/config${cliOnly}`,
      );
    }
    if (credentials !== undefined) {
      missing.push(
        `no AWS credentials (${credentials}): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE` +
          ' (aws configure, aws sso login)',
      );
    }
    return { region, missing };
  } finally {
    client.destroy();
  }
};
