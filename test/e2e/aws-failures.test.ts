// The one line a command that uses a real account (npm start -- --aws, npm run e2e -- --aws) ends in when an AWS
// call fails for a reason the person at the keyboard can fix.
import { explainAwsFailure } from '../../scripts/lib/aws-access';

const named = (name: string, message: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(message), { name, ...extra });

describe('explainAwsFailure', () => {
  it.each([
    ['ExpiredToken', 'The security token included in the request is expired', /^the AWS credentials have expired/],
    ['ExpiredTokenException', 'expired', /^the AWS credentials have expired/],
    ['InvalidClientTokenId', 'The security token included in the request is invalid.', /^AWS refused the credentials/],
    ['SignatureDoesNotMatch', 'The request signature we calculated does not match', /^AWS refused the credentials/],
    ['AccessDenied', 'User: x is not authorized to perform: cloudformation:DescribeStacks', /^the credentials may not/],
    ['CredentialsProviderError', 'Could not load credentials from any providers', /^no usable AWS credentials/],
    ['TokenProviderError', 'The SSO session associated with this profile has expired', /expired/],
  ])('reads %s as what it is', (name, message, expected) => {
    // Act
    const line = explainAwsFailure(named(name, message), 'DescribeStacks');

    // Assess
    expect(line).toMatch(expected);
    expect(line).toContain(message);
  });

  it('names the operation a refusal by IAM was for', () => {
    // Act
    const line = explainAwsFailure(named('AccessDeniedException', 'no'), 'CreateStack');

    // Assess
    expect(line).toBe(
      'the credentials may not call CreateStack (AccessDeniedException: no): use a role or user that may',
    );
  });

  it('names the network error and the host that could not be reached', () => {
    // Prepare
    const error = named('Error', 'getaddrinfo ENOTFOUND cloudformation.eu-west-1.amazonaws.com', {
      code: 'ENOTFOUND',
      hostname: 'cloudformation.eu-west-1.amazonaws.com',
    });

    // Act
    const line = explainAwsFailure(error, 'DescribeStacks');

    // Assess
    expect(line).toBe(
      'cannot reach AWS (DescribeStacks: ENOTFOUND cloudformation.eu-west-1.amazonaws.com): check the network ' +
        'connection, a proxy, or AWS_ENDPOINT_URL',
    );
  });

  it('reads a timeout as no way to AWS', () => {
    // Act
    const line = explainAwsFailure(named('TimeoutError', 'Connection timed out after 1000 ms'), 'DescribeStacks');

    // Assess
    expect(line).toMatch(/^cannot reach AWS \(DescribeStacks: TimeoutError\)/);
  });

  it('gives anything else as the operation, the error’s name and its message on one line', () => {
    // Act
    const line = explainAwsFailure(named('ThrottlingException', 'Rate\nexceeded'), 'DescribeStacks');

    // Assess
    expect(line).toBe('DescribeStacks failed: ThrottlingException: Rate exceeded');
  });
});
