import { CreateEventBusCommand } from '@aws-sdk/client-eventbridge';
import { CreateDiscovererCommand, StopDiscovererCommand } from '@aws-sdk/client-schemas';
import { eventBridgeClient, schemasClient } from '../emulator/clients';
import { answerOf, type Harness, startHarness } from './harness';

// Taking over a bus and discoverer made by hand (as the by-hand tutorial makes them), and handing them back,
// through the built bundle against the emulator.
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());
beforeEach(() => harness.emulator.reset());

const NAME = 'github-actions-event-bus';
const DISCOVERER_ID = `events-event-bus-${NAME}`;
const HAND_TAGS = { team: 'platform' };
const props = (extra: Record<string, unknown> = {}) => ({ EventBusName: NAME, ...extra });

/** The by-hand setup: a bus with its own description and tag; a stopped discoverer with another description. */
const madeByHand = async (): Promise<void> => {
  const made = await eventBridgeClient(harness.emulator).send(
    new CreateEventBusCommand({ Name: NAME, Description: 'made by hand', Tags: [{ Key: 'team', Value: 'platform' }] }),
  );
  const schemas = schemasClient(harness.emulator);
  await schemas.send(
    new CreateDiscovererCommand({ SourceArn: made.EventBusArn, Description: 'tutorial discoverer', Tags: HAND_TAGS }),
  );
  await schemas.send(new StopDiscovererCommand({ DiscovererId: DISCOVERER_ID }));
};

const bus = () => harness.emulator.buses().find((found) => found.name === NAME);
const discoverer = () => harness.emulator.discoverers().find((found) => found.id === DISCOVERER_ID);

describe('a bus and discoverer made by hand', () => {
  it('are refused without AdoptExisting, naming it, and left untouched', async () => {
    // Prepare
    await madeByHand();
    const before = { bus: bus(), discoverer: discoverer() };
    // Act
    const answer = answerOf(await harness.create(props()));
    // Assess
    expect(answer).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('AdoptExisting: "true"') });
    expect({ bus: bus(), discoverer: discoverer() }).toEqual(before);
  });

  it('are adopted, managed by Updates, and handed back on Delete as they were but for discovery', async () => {
    // Prepare
    await madeByHand();
    const busBefore = bus();
    // Act: adopt; stop discovery by an Update; delete
    const created = answerOf(await harness.create(props({ AdoptExisting: 'true' })));
    const adopted = discoverer();
    const updated = answerOf(
      await harness.update(
        NAME,
        props({ AdoptExisting: 'true', DiscovererState: 'STOPPED', DiscovererDescription: 'runner events' }),
        props({ AdoptExisting: 'true' }),
      ),
    );
    const managed = discoverer();
    const deleted = answerOf(await harness.delete(NAME, props({ AdoptExisting: 'true', DiscovererState: 'STOPPED' })));
    // Assess
    expect(created).toMatchObject({
      Status: 'SUCCESS',
      Data: { DiscovererId: DISCOVERER_ID, DiscovererState: 'STARTED' },
    });
    expect(adopted).toMatchObject({ state: 'STARTED', tags: expect.objectContaining({ ...HAND_TAGS }) });
    expect(adopted?.tags).toMatchObject({ 'github-event-bus:adopted': 'true' });
    expect(updated).toMatchObject({ Status: 'SUCCESS', Data: { DiscovererState: 'STOPPED' } });
    expect(managed).toMatchObject({ state: 'STOPPED', description: 'runner events' });
    expect(deleted.Status).toBe('SUCCESS');
    expect(bus()).toEqual(busBefore);
    expect(discoverer()).toMatchObject({ state: 'STOPPED', description: 'runner events', tags: HAND_TAGS });
  });

  it('are handed back when the Create that adopted them fails', async () => {
    // Prepare: discovery cannot be started
    await madeByHand();
    harness.emulator.inject({
      operation: 'StartDiscoverer',
      times: Number.POSITIVE_INFINITY,
      action: { type: 'error', name: 'AccessDeniedException', status: 403 },
    });
    // Act
    const answer = answerOf(await harness.create(props({ AdoptExisting: 'true' })));
    // Assess
    expect(answer.Status).toBe('FAILED');
    expect(discoverer()).toMatchObject({ state: 'STOPPED', tags: HAND_TAGS });
    expect(bus()?.tags).toEqual(HAND_TAGS);
  });

  it('are handed back when a rename moves the stack off them, and the new bus is its own', async () => {
    // Prepare
    await madeByHand();
    await harness.create(props({ AdoptExisting: 'true' }));
    // Act: the replacement, then CloudFormation's clean-up Delete of the adopted one
    const renamed = answerOf(await harness.update(NAME, props({ EventBusName: `${NAME}-own` }), props()));
    const cleanup = answerOf(await harness.delete(NAME, props({ AdoptExisting: 'true' })));
    // Assess
    expect(renamed.Status).toBe('SUCCESS');
    expect(cleanup.Status).toBe('SUCCESS');
    expect(discoverer()?.tags).toEqual(HAND_TAGS);
    expect(bus()?.tags).toEqual(HAND_TAGS);
    expect(harness.emulator.buses().map((found) => found.name)).toEqual([NAME, `${NAME}-own`]);
  });
});
