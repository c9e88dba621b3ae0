import { CreateEventBusCommand, DeleteEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateDiscovererCommand, DeleteDiscovererCommand, SchemasClient } from '@aws-sdk/client-schemas';
import { ServiceError } from '../../scripts/emulator';
import { requiredActions, scanDirectory } from '../../scripts/lib/sdk-iam-actions';
import { iamRequestsOf, type TagLookup } from '../support/iam-requests';
import { decide, deployedRolePolicies, type IamRequest } from '../support/iam-role';
import { FUNCTION_ID, HANDLER_DIR, loadTemplate, ROOT, TEMPLATE_PATH } from '../template/helpers';
import { answerOf, type Harness, leftovers, startHarness } from './harness';

// The built handler against the emulator, with every call it makes first evaluated by an IAM policy simulator
// under the template's role, as AWS would: a refused call is answered AccessDenied, as IAM answers it. Each path
// (create, retag, the undo of a failed Create, drift healing, adoption, delete) must succeed without a refusal.
const policies = deployedRolePolicies(loadTemplate(TEMPLATE_PATH), FUNCTION_ID);

type Decision = IamRequest & { decision: string };
const decisions: Decision[] = [];
const mappingProblems: string[] = [];
// Off while the test plays someone else (a bus made by hand, a delete out of band).
let enforcing = true;
let harness: Harness;

const tagsOf: TagLookup = (arn) =>
  harness.emulator.buses().find((bus) => bus.arn === arn)?.tags ??
  harness.emulator.discoverers().find((discoverer) => discoverer.arn === arn)?.tags;

const refusal = (service: string, message: string): ServiceError =>
  service === 'events'
    ? new ServiceError('AccessDeniedException', message, 400)
    : new ServiceError('ForbiddenException', message, 403);

beforeAll(async () => {
  harness = await startHarness({
    authorize: async (call) => {
      if (!enforcing) return undefined;
      try {
        for (const request of iamRequestsOf(call, harness.emulator.accountId, tagsOf)) {
          const decision = await decide(policies, request);
          decisions.push({ ...request, decision });
          if (decision !== 'Allowed') {
            return refusal(call.service, `not authorized to perform ${request.action} on ${request.resource}`);
          }
        }
        return undefined;
      } catch (error) {
        mappingProblems.push(String(error));
        return new ServiceError('ValidationException', String(error), 400);
      }
    },
  });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.emulator.reset();
  harness.emulator.setRuleLinger(0);
  decisions.length = 0;
  enforcing = true;
});
afterEach(() => {
  expect(mappingProblems).toEqual([]);
});

// Every action decided across the tests below, to show the paths reach every action the handler can call.
const exercised = new Set<string>();
afterEach(() => {
  for (const { action } of decisions) exercised.add(action);
});

const refused = (): string[] =>
  decisions.filter((entry) => entry.decision !== 'Allowed').map((entry) => `${entry.action} on ${entry.resource}`);

const BUS = 'github-actions-event-bus';
const props = (extra: Record<string, unknown> = {}) => ({
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
  EventBusName: BUS,
  ...extra,
});

/** Runs `work` as someone other than the provider: not evaluated against its role. */
const outOfBand = async (work: () => Promise<unknown>): Promise<void> => {
  enforcing = false;
  try {
    await work();
  } finally {
    enforcing = true;
  }
};

const events = () => new EventBridgeClient({ endpoint: harness.emulator.url, maxAttempts: 1 });
const schemas = () => new SchemasClient({ endpoint: harness.emulator.url, maxAttempts: 1 });

describe('under the template’s role', () => {
  it('creates with tags, retags, updates, stops and starts, and deletes what it owns', async () => {
    // Prepare
    const first = props({
      Tags: [
        { Key: 'app', Value: 'runners' },
        { Key: 'team', Value: 'ci' },
      ],
      Description: 'first',
      DiscovererState: 'STOPPED',
    });
    const second = props({
      Tags: [
        { Key: 'app', Value: 'runners-2' },
        { Key: 'env', Value: 'prod' },
      ],
      Description: 'second',
      CrossAccount: 'false',
    });

    // Act
    const created = answerOf(await harness.create(first));
    const updated = answerOf(await harness.update(BUS, second, first));
    const tagsAfterUpdate = harness.emulator.buses()[0]?.tags;
    const deleted = answerOf(await harness.delete(BUS, second));

    // Assess
    expect([created.Status, updated.Status, deleted.Status]).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(tagsAfterUpdate).toMatchObject({ app: 'runners-2', env: 'prod' });
    expect(tagsAfterUpdate).not.toHaveProperty('team');
    expect(refused()).toEqual([]);
    expect(leftovers(harness.emulator)).toEqual([]);
  });

  it('undoes a failed Create, and the Delete that follows succeeds', async () => {
    // Prepare: discovery cannot be stopped, after the bus and the discoverer exist.
    harness.emulator.inject({
      operation: 'StopDiscoverer',
      times: Number.POSITIVE_INFINITY,
      action: { type: 'error', name: 'BadRequestException', status: 400 },
    });

    // Act
    const failed = answerOf(await harness.create(props({ DiscovererState: 'STOPPED' })));
    harness.emulator.clearFaults();
    const deleted = answerOf(await harness.delete(failed.PhysicalResourceId, props({ DiscovererState: 'STOPPED' })));

    // Assess
    expect(failed.Status).toBe('FAILED');
    expect(failed.Reason).toContain('BadRequestException');
    expect(deleted.Status).toBe('SUCCESS');
    expect(refused()).toEqual([]);
    expect(leftovers(harness.emulator)).toEqual([]);
  });

  it('heals drift: recreates a bus and discoverer deleted out of band', async () => {
    // Prepare
    await harness.create(props());
    await outOfBand(async () => {
      await schemas().send(new DeleteDiscovererCommand({ DiscovererId: `events-event-bus-${BUS}` }));
      await events().send(new DeleteEventBusCommand({ Name: BUS }));
    });

    // Act
    const healed = answerOf(await harness.update(BUS, props(), props()));
    const deleted = answerOf(await harness.delete(BUS, props()));

    // Assess
    expect(healed.Status).toBe('SUCCESS');
    expect(deleted.Status).toBe('SUCCESS');
    expect(refused()).toEqual([]);
    expect(leftovers(harness.emulator)).toEqual([]);
  });

  it('deletes its bus when its discoverer was deleted out of band', async () => {
    // Prepare
    await harness.create(props());
    await outOfBand(() => schemas().send(new DeleteDiscovererCommand({ DiscovererId: `events-event-bus-${BUS}` })));

    // Act
    const deleted = answerOf(await harness.delete(BUS, props()));

    // Assess
    expect(deleted.Status).toBe('SUCCESS');
    expect(refused()).toEqual([]);
    expect(leftovers(harness.emulator)).toEqual([]);
  });

  it('leaves alone a discoverer someone else put on its bus, without a refused call', async () => {
    // Prepare: our bus, then (its discoverer gone) someone else's discoverer on it.
    await harness.create(props());
    await outOfBand(async () => {
      await schemas().send(new DeleteDiscovererCommand({ DiscovererId: `events-event-bus-${BUS}` }));
      const bus = harness.emulator.buses()[0]?.arn;
      await schemas().send(new CreateDiscovererCommand({ SourceArn: bus, Tags: { team: 'platform' } }));
    });

    // Act: the bus cannot go while that discoverer's rule is on it, so the Delete fails, naming it.
    const deleted = answerOf(await harness.delete(BUS, props()));

    // Assess
    expect(deleted.Status).toBe('FAILED');
    expect(refused()).toEqual([]);
    expect(harness.emulator.discoverers().map((discoverer) => discoverer.tags)).toEqual([{ team: 'platform' }]);
  });

  it('adopts a bus it never changes: discoverer created, updated and deleted, the bus left as it was', async () => {
    // Prepare
    await outOfBand(() =>
      events().send(
        new CreateEventBusCommand({ Name: BUS, Description: 'theirs', Tags: [{ Key: 'team', Value: 'platform' }] }),
      ),
    );
    const first = props({ AdoptExisting: 'true', Tags: [{ Key: 'app', Value: 'runners' }] });
    const second = props({ AdoptExisting: 'true', Tags: [{ Key: 'app', Value: 'other' }], Description: 'ours' });

    // Act
    const created = answerOf(await harness.create(first));
    const updated = answerOf(await harness.update(BUS, second, first));
    const deleted = answerOf(await harness.delete(BUS, second));

    // Assess
    expect([created.Status, updated.Status, deleted.Status]).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(refused()).toEqual([]);
    expect(harness.emulator.buses().map((bus) => [bus.description, bus.tags])).toEqual([
      ['theirs', { team: 'platform' }],
    ]);
    expect(harness.emulator.discoverers()).toEqual([]);
  });

  it('adopts a discoverer made by hand, manages it, and hands it back; never deleting it', async () => {
    // Prepare: the by-hand setup, discoverer stopped
    await outOfBand(async () => {
      const made = await events().send(new CreateEventBusCommand({ Name: BUS }));
      await schemas().send(new CreateDiscovererCommand({ SourceArn: made.EventBusArn, Tags: { team: 'platform' } }));
    });
    const adopting = props({ AdoptExisting: 'true' });
    const stopped = props({ AdoptExisting: 'true', DiscovererState: 'STOPPED' });

    // Act
    const created = answerOf(await harness.create(adopting));
    const updated = answerOf(await harness.update(BUS, stopped, adopting));
    const deleted = answerOf(await harness.delete(BUS, stopped));

    // Assess
    expect([created.Status, updated.Status, deleted.Status]).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(refused()).toEqual([]);
    expect(decisions.map((decision) => decision.action)).not.toContain('schemas:DeleteDiscoverer');
    expect(harness.emulator.discoverers().map((found) => [found.state, found.tags])).toEqual([
      ['STOPPED', { team: 'platform' }],
    ]);
  });

  it('lists the rules on its bus while the discoverer’s managed rule lingers after a Delete', async () => {
    // Prepare
    await harness.create(props());
    harness.emulator.setRuleLinger(1_200);

    // Act
    const deleted = answerOf(await harness.delete(BUS, props()));

    // Assess
    expect(deleted.Status).toBe('SUCCESS');
    expect(decisions.map((entry) => entry.action)).toContain('events:ListRules');
    expect(refused()).toEqual([]);
    expect(leftovers(harness.emulator)).toEqual([]);
  });

  it('would be refused DeleteEventBus on a bus it did not create', async () => {
    // Prepare
    await outOfBand(() => events().send(new CreateEventBusCommand({ Name: 'someone-elses-bus' })));

    // Act: the provider's role calling directly, past the handler's own ownership check.
    const error = await events()
      .send(new DeleteEventBusCommand({ Name: 'someone-elses-bus' }))
      .then(
        () => undefined,
        (caught: Error) => caught,
      );

    // Assess
    expect(error?.name).toBe('AccessDeniedException');
    expect(refused()).toEqual([`events:DeleteEventBus on ${harness.emulator.buses()[0]?.arn}`]);
  });
});

describe('the paths above', () => {
  it('exercise every action the handler’s SDK imports need', () => {
    // Prepare
    const needed = requiredActions(scanDirectory(HANDLER_DIR, ROOT).operations);

    // Assess
    expect(needed.filter((action) => !exercised.has(action))).toEqual([]);
  });
});
