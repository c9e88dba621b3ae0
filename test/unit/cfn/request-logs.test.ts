// The trail one request leaves in CloudWatch Logs: what an operator reads when a stack waits or fails.
import { handleRequest } from '../../../handler/cfn/lifecycle';
import { type CapturedLogs, captureLogs } from '../../fixtures/capture-logs';
import { makeEvent, makeLambdaContext } from '../../fixtures/events';
import { type ResponseServer, startResponseServer } from '../../fixtures/response-server';

const resource = {
  parse: (raw: unknown) => raw,
  create: async () => ({ id: 'github-actions-event-bus', attributes: {} }),
  update: async () => ({ id: 'github-actions-event-bus', attributes: {} }),
  delete: async () => undefined,
  failedCreateId: () => 'failed-create',
};

describe('the log lines of one request', () => {
  let server: ResponseServer;
  let logs: CapturedLogs;

  beforeEach(async () => {
    server = await startResponseServer();
    logs = captureLogs();
  });

  afterEach(async () => {
    await server.close();
  });

  const redacted = () => `${server.url.slice(0, server.url.indexOf('?'))}?***`;

  it('say it was received, how long it may take, answered and finished, with the outcome and how long it took', async () => {
    // Prepare
    const event = makeEvent({ RequestType: 'Delete', PhysicalResourceId: 'github-actions-event-bus' });

    // Act
    await handleRequest({ ...event, ResponseURL: server.url }, makeLambdaContext(), resource);

    // Assess
    const [received, deadline, sent, finished, ...rest] = logs.entries();
    expect(rest).toEqual([]);
    expect(deadline).toMatchObject({ level: 'INFO', message: 'deadline', source: 'lambda', undoMs: 0 });
    expect(received).toMatchObject({
      level: 'INFO',
      message: 'request received',
      physicalResourceId: 'github-actions-event-bus',
      responseUrl: redacted(),
    });
    expect(sent).toMatchObject({
      level: 'INFO',
      message: 'response sent',
      url: redacted(),
      status: 'SUCCESS',
      httpStatus: 200,
      attempt: 1,
    });
    expect(finished).toMatchObject({ level: 'INFO', message: 'request finished', outcome: 'SUCCESS' });
    expect(finished?.ms).toBeGreaterThanOrEqual(0);
    expect(finished?.ms).toBeLessThan(60_000);
  });

  it('name the problem of a malformed request', async () => {
    // Prepare
    const event = makeEvent({ StackId: undefined });

    // Act
    await handleRequest({ ...event, ResponseURL: server.url }, makeLambdaContext(), resource);

    // Assess
    expect(logs.atLevel('ERROR')).toEqual([
      expect.objectContaining({ message: 'malformed request', problem: 'missing or not a string: StackId' }),
    ]);
  });

  it('name the problem of a request without a ResponseURL, which cannot be answered', async () => {
    // Prepare
    const event = makeEvent({ ResponseURL: undefined, StackId: undefined });

    // Act
    await handleRequest(event, makeLambdaContext(), resource);

    // Assess
    expect(logs.atLevel('ERROR')).toEqual([
      expect.objectContaining({
        message: 'malformed request and no ResponseURL to answer',
        problem: 'missing or not a string: ResponseURL, StackId',
      }),
    ]);
  });
});
