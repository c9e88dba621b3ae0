// Not a test of its own (no .test.ts): test/tooling/test-output.test.ts runs it in a jest of its own, to see what a
// passing and a failing test show of what they write.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

it('passes, having written a log line and made an SDK client', () => {
  process.stdout.write('{"level":"INFO","message":"a line of a passing test"}\n');
  new EventBridgeClient({ region: 'us-east-1' }).destroy();
});

it('fails, having written a log line', () => {
  process.stdout.write('{"level":"ERROR","message":"a line of a failing test"}\n');
  expect('the answer').toBe('another answer');
});
