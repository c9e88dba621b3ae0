import { type CfnHandler, LocalCloudFormation } from '../../scripts/lib/local-cloudformation';

// LocalCloudFormation's own contract, with a stand-in handler that answers SUCCESS with a given physical id.
const seen: Record<string, unknown>[] = [];
let answerWith = 'bus';

const standIn: CfnHandler = async (event) => {
  const request = event as Record<string, unknown>;
  seen.push(request);
  const body = JSON.stringify({
    Status: 'SUCCESS',
    PhysicalResourceId: answerWith,
    StackId: request.StackId,
    RequestId: request.RequestId,
    LogicalResourceId: request.LogicalResourceId,
  });
  await fetch(String(request.ResponseURL), { method: 'PUT', body });
};

let cloudFormation: LocalCloudFormation;

beforeAll(async () => {
  cloudFormation = new LocalCloudFormation(standIn, { stackName: 'deliveries' });
  await cloudFormation.start();
});
afterAll(() => cloudFormation.stop());
beforeEach(() => {
  seen.length = 0;
  answerWith = 'bus';
  cloudFormation.forgetAnswers();
});

const createRequest = () => cloudFormation.request('Create', 'Bus', { EventBusName: 'bus' });

describe('delivering one request more than once', () => {
  it('traces each answer to the delivery that sent it, also when the deliveries run at once', async () => {
    // Prepare
    const event = createRequest();

    // Act
    const [first, second] = await Promise.all([cloudFormation.deliver(event), cloudFormation.deliver(event)]);

    // Assess
    expect(first?.answers).toHaveLength(1);
    expect(second?.answers).toHaveLength(1);
    const delivered = cloudFormation.answersTo(String(event.RequestId)).map((received) => received.delivery);
    expect(new Set(delivered).size).toBe(2);
  });

  it('hands every delivery the same event, but for a marker in the ResponseURL query', async () => {
    // Prepare
    const event = createRequest();

    // Act
    await cloudFormation.deliver(event);
    await cloudFormation.deliver(event);

    // Assess
    const [first, second] = seen.map(({ ResponseURL, ...rest }) => ({ url: new URL(String(ResponseURL)), rest }));
    expect(first?.rest).toEqual(second?.rest);
    expect(first?.url.pathname).toBe(second?.url.pathname);
    expect(first?.url.searchParams.get('X-Amz-Signature')).toBe(second?.url.searchParams.get('X-Amz-Signature'));
  });

  it('keeps the answers, in the order they came, until told to forget them', async () => {
    // Prepare
    const event = createRequest();
    await cloudFormation.deliver(event);
    answerWith = 'second';
    await cloudFormation.deliver(event);

    // Act
    const kept = cloudFormation
      .answersTo(String(event.RequestId))
      .map((received) => received.answer.PhysicalResourceId);
    cloudFormation.forgetAnswers();

    // Assess
    expect(kept).toEqual(['bus', 'second']);
    expect(cloudFormation.answersTo(String(event.RequestId))).toEqual([]);
  });

  it('times each answer against the start of its delivery', async () => {
    // Act
    const invocation = await cloudFormation.deliver(createRequest());

    // Assess
    expect(invocation.answeredAt).toHaveLength(1);
    expect(invocation.answeredAt[0]).toBeGreaterThanOrEqual(invocation.startedAt);
  });
});

describe('a physical id CloudFormation makes up', () => {
  it('is the stack name, the logical id and 13 upper-case letters and digits', () => {
    // Act
    const id = cloudFormation.generatedPhysicalId('Bus');

    // Assess
    expect(id).toMatch(/^deliveries-Bus-[A-Z0-9]{13}$/);
  });
});
