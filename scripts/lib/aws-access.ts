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

// Error codes as the AWS JSON and query protocols name them (the STS-style names arrive from CloudFormation).
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'TokenRefreshRequired']);
const REFUSED = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'AuthFailure',
]);
const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);
const UNREACHABLE = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EPIPE',
]);
const CREDENTIAL_CHAIN = new Set(['CredentialsProviderError', 'TokenProviderError']);

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * What went wrong with an AWS call (`operation`, such as `DescribeStacks`) and what to do about it, in one line
 * without a full stop: expired, refused or missing credentials, a refusal by IAM, no network; anything else as the
 * error's name and message.
 */
export const explainAwsFailure = (error: unknown, operation: string): string => {
  const failure = error instanceof Error ? error : new Error(String(error));
  const { code, hostname } = failure as { code?: unknown; hostname?: unknown };
  const said = oneLine(failure.message);
  if (EXPIRED.has(failure.name) || /\bexpired\b/i.test(said)) {
    return `the AWS credentials have expired (${operation}: ${failure.name}: ${said}): refresh them (aws sso login, or new keys for AWS_PROFILE / AWS_ACCESS_KEY_ID) and run again`;
  }
  if (REFUSED.has(failure.name)) {
    return `AWS refused the credentials (${operation}: ${failure.name}: ${said}): check AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys)`;
  }
  if (DENIED.has(failure.name)) {
    return `the credentials may not call ${operation} (${failure.name}: ${said}): use a role or user that may`;
  }
  if (CREDENTIAL_CHAIN.has(failure.name)) {
    return `no usable AWS credentials (${said}): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (aws configure, aws sso login)`;
  }
  if ((typeof code === 'string' && UNREACHABLE.has(code)) || failure.name === 'TimeoutError') {
    const where = typeof hostname === 'string' ? ` ${hostname}` : '';
    return `cannot reach AWS (${operation}: ${typeof code === 'string' ? code : failure.name}${where}): check the network connection, a proxy, or AWS_ENDPOINT_URL`;
  }
  return `${operation} failed: ${failure.name}: ${said}`;
};
