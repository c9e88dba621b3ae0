// Two edges of the protocol layer: a Reason outside Lambda (no log group to point at), and an Update that
// carries no OldResourceProperties.
import { type CustomResource, handleRequest } from '../../../handler/cfn/lifecycle';
import { captureLogs } from '../../fixtures/capture-logs';
import { makeEvent, makeLambdaContext, makeUpdate } from '../../fixtures/events';
import { type ResponseServer, startResponseServer } from '../../fixtures/response-server';

const resource = (overrides: Partial<CustomResource<unknown>> = {}): CustomResource<unknown> => ({
  parse: (raw) => raw,
  create: async () => ({ id: 'github-actions-event-bus', attributes: {} }),
  update: async () => ({ id: 'github-actions-event-bus', attributes: {} }),
  delete: async () => undefined,
  failedCreateId: () => 'failed-create',
  ...overrides,
});

describe('handleRequest', () => {
  let server: ResponseServer;

  beforeEach(async () => {
    server = await startResponseServer();
    captureLogs();
  });

  afterEach(async () => {
    await server.close();
  });

  it('gives the error message alone as Reason where there is no log group to point at', async () => {
    // Prepare
    const context = { ...makeLambdaContext(), logGroupName: undefined };
    const failing = resource({
      create: async () => {
        throw new Error('Invalid properties: EventBusName is required');
      },
    });

    // Act
    await handleRequest({ ...makeEvent(), ResponseURL: server.url }, context, failing);

    // Assess
    expect(server.requests[0]?.json()).toMatchObject({
      Status: 'FAILED',
      Reason: 'Invalid properties: EventBusName is required',
    });
  });

  it('hands an Update without OldResourceProperties no old properties, parsing only the new ones', async () => {
    // Prepare
    const parse = jest.fn((raw: unknown) => raw ?? 'parsed from nothing');
    const update = jest.fn(async () => ({ id: 'github-actions-event-bus', attributes: {} }));
    const event = { ...makeUpdate(), ResponseURL: server.url, OldResourceProperties: undefined };

    // Act
    await handleRequest(event, makeLambdaContext(), resource({ parse, update }));

    // Assess
    expect(parse).toHaveBeenCalledTimes(1);
    expect(update).toHaveBeenCalledWith(
      event.PhysicalResourceId,
      event.ResourceProperties,
      undefined,
      expect.anything(),
    );
  });
});
