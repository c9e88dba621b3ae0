// The PhysicalResourceId of a Create that fails, as the Lambda entry point answers it: the Delete that
// CloudFormation sends next for that id must remove what is ours under it, and touch nothing if it names no bus.
import { handler } from '../../handler/index';
import { captureLogs } from '../fixtures/capture-logs';
import { makeEvent, makeLambdaContext } from '../fixtures/events';
import { type ResponseServer, startResponseServer } from '../fixtures/response-server';

describe('a Create that fails before any AWS call', () => {
  let server: ResponseServer;

  beforeEach(async () => {
    server = await startResponseServer();
    captureLogs();
  });

  afterEach(async () => {
    await server.close();
  });

  const answerTo = async (properties: unknown, requestId: string) => {
    const event = makeEvent({ RequestId: requestId, ResponseURL: server.url, ResourceProperties: properties });
    await handler(event, makeLambdaContext());
    expect(server.requests).toHaveLength(1);
    return server.requests[0]?.json() ?? {};
  };

  it('answers with the bus name as physical id when the properties name a valid bus', async () => {
    // Act
    const answer = await answerTo({ EventBusName: 'github-actions-event-bus', Colour: 'blue' }, 'r-1');

    // Assess
    expect(answer).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'github-actions-event-bus' });
  });

  it.each([
    ['an invalid bus name', { EventBusName: 'has/slash' }],
    ['the bus name default', { EventBusName: 'default' }],
    ['no bus name', { Description: 'x' }],
    ['a bus name inherited, not given', Object.create({ EventBusName: 'github-actions-event-bus' })],
    ['null properties', null],
    ['properties that are a string', 'EventBusName=github-actions-event-bus'],
  ])('answers with an id that is no bus name for %s', async (_, properties) => {
    // Act
    const answer = await answerTo(properties, 'r-2');

    // Assess
    expect(answer).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'failed-create:r-2' });
  });
});
