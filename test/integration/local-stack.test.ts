// The local CloudFormation's stack semantics (scripts/lib/local-stack.ts), against a scripted provider: which requests
// CloudFormation sends after a failure or a replacement, with which ids and properties.
import { LocalCloudFormation } from '../../scripts/lib/local-cloudformation';
import { type AnsweredRequest, LocalStack } from '../../scripts/lib/local-stack';

type Event = Record<string, unknown> & { RequestType: string; PhysicalResourceId?: string; ResponseURL: string };
/** What the scripted provider answers a request with; undefined: no answer at all. */
type Script = (event: Event) => { Status: 'SUCCESS' | 'FAILED'; PhysicalResourceId: string } | undefined;

let cloudFormation: LocalCloudFormation;
let script: Script;
const sent: AnsweredRequest[] = [];

beforeAll(async () => {
  cloudFormation = new LocalCloudFormation(async (raw) => {
    const event = raw as Event;
    const answer = script(event);
    if (!answer) return;
    const body = { ...answer, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: 'Bus' };
    await fetch(event.ResponseURL, { method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': '' } });
  });
  await cloudFormation.start();
});
afterAll(() => cloudFormation.stop());
beforeEach(() => {
  sent.length = 0;
});

const newStack = () => new LocalStack(cloudFormation, 'Bus', (request) => sent.push(request));
const summary = () =>
  sent.map(({ role, requestType, physicalResourceId, properties, oldProperties }) => ({
    role,
    requestType,
    physicalResourceId,
    name: properties.EventBusName,
    ...(oldProperties ? { oldName: oldProperties.EventBusName } : {}),
  }));
const succeed: Script = (event) => ({
  Status: 'SUCCESS',
  PhysicalResourceId: String((event.ResourceProperties as Record<string, unknown>).EventBusName),
});

describe('LocalStack, as CloudFormation plays a stack', () => {
  it('after a failed Create sends the Delete with the PhysicalResourceId of the FAILED answer', async () => {
    // Prepare
    script = (event) =>
      event.RequestType === 'Create'
        ? { Status: 'FAILED', PhysicalResourceId: 'failed-create:abc' }
        : { Status: 'SUCCESS', PhysicalResourceId: String(event.PhysicalResourceId) };
    const stack = newStack();

    // Act
    const { status } = await stack.create({ EventBusName: 'orders' });

    // Assess
    expect(status).toBe('ROLLBACK_COMPLETE');
    expect(summary()).toEqual([
      { role: 'operation', requestType: 'Create', physicalResourceId: undefined, name: 'orders' },
      { role: 'rollback', requestType: 'Delete', physicalResourceId: 'failed-create:abc', name: 'orders' },
    ]);
    expect(stack.resource).toBeUndefined();
  });

  it('after a Create that got no answer sends the Delete with an id of its own making', async () => {
    // Prepare
    script = (event) => (event.RequestType === 'Create' ? undefined : succeed(event));

    // Act
    await newStack().create({ EventBusName: 'orders' });

    // Assess
    expect(sent[1]).toMatchObject({ role: 'rollback', requestType: 'Delete' });
    expect(sent[1]?.physicalResourceId).toMatch(new RegExp(`^${cloudFormation.stackName}-Bus-[0-9A-F]{12}$`));
  });

  it('keeps the resource for the stack’s Delete when the rollback Delete fails too', async () => {
    // Prepare
    script = (event) => ({ Status: 'FAILED', PhysicalResourceId: event.PhysicalResourceId ?? 'orders' });
    const stack = newStack();

    // Act
    const { status } = await stack.create({ EventBusName: 'orders' });

    // Assess
    expect(status).toBe('ROLLBACK_FAILED');
    expect(stack.resource).toEqual({ id: 'orders', properties: { EventBusName: 'orders' } });
  });

  it('after a failed Update sends the rollback Update: old and new swapped, the same physical id', async () => {
    // Prepare
    const stack = newStack();
    script = succeed;
    await stack.create({ EventBusName: 'orders', Description: 'before' });
    script = (event) =>
      event.RequestType === 'Update' && (event.ResourceProperties as Record<string, unknown>).Description === 'after'
        ? { Status: 'FAILED', PhysicalResourceId: String(event.PhysicalResourceId) }
        : succeed(event);
    sent.length = 0;

    // Act
    const { status } = await stack.update({ EventBusName: 'orders', Description: 'after' });

    // Assess
    expect(status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(
      sent.map(({ role, physicalResourceId, properties, oldProperties }) => [
        role,
        physicalResourceId,
        properties.Description,
        oldProperties?.Description,
      ]),
    ).toEqual([
      ['operation', 'orders', 'after', 'before'],
      ['rollback', 'orders', 'before', 'after'],
    ]);
    expect(stack.resource).toEqual({ id: 'orders', properties: { EventBusName: 'orders', Description: 'before' } });
  });

  it('rolls a failed replacement back with an Update to the old id, not the new one, and deletes nothing', async () => {
    // Prepare
    const stack = newStack();
    script = succeed;
    await stack.create({ EventBusName: 'orders' });
    script = (event) =>
      event.RequestType === 'Update' && (event.ResourceProperties as Record<string, unknown>).EventBusName === 'renamed'
        ? { Status: 'FAILED', PhysicalResourceId: String(event.PhysicalResourceId) }
        : succeed(event);
    sent.length = 0;

    // Act
    await stack.update({ EventBusName: 'renamed' });

    // Assess
    expect(summary()).toEqual([
      { role: 'operation', requestType: 'Update', physicalResourceId: 'orders', name: 'renamed', oldName: 'orders' },
      { role: 'rollback', requestType: 'Update', physicalResourceId: 'orders', name: 'orders', oldName: 'renamed' },
    ]);
  });

  it('deletes the replaced resource after a replacement, with its own old properties', async () => {
    // Prepare
    const stack = newStack();
    script = succeed;
    await stack.create({ EventBusName: 'orders' });
    sent.length = 0;

    // Act
    const { status } = await stack.update({ EventBusName: 'renamed' });

    // Assess
    expect(status).toBe('UPDATE_COMPLETE');
    expect(summary()).toEqual([
      { role: 'operation', requestType: 'Update', physicalResourceId: 'orders', name: 'renamed', oldName: 'orders' },
      { role: 'cleanup', requestType: 'Delete', physicalResourceId: 'orders', name: 'orders' },
    ]);
    expect(stack.resource?.id).toBe('renamed');
  });

  it('says which request waits for its answer while it does', async () => {
    // Prepare
    const stack = newStack();
    let seen: unknown;
    script = (event) => {
      seen = stack.inFlight;
      return succeed(event);
    };

    // Act
    await stack.create({ EventBusName: 'orders' });

    // Assess
    expect(seen).toMatchObject({ role: 'operation', requestType: 'Create' });
    expect(stack.inFlight).toBeUndefined();
  });
});
