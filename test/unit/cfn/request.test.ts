import { readRequest } from '../../../handler/cfn/request';
import { makeDelete, makeEvent, makeUpdate, RESPONSE_URL, STACK_ID } from '../../fixtures/events';

describe('readRequest', () => {
  it('reads a well-formed Create', () => {
    // Prepare
    const event = makeEvent();

    // Act
    const read = readRequest(event);

    // Assess
    expect(read).toEqual({
      ok: true,
      request: {
        RequestType: 'Create',
        ResponseURL: RESPONSE_URL,
        StackId: STACK_ID,
        RequestId: event.RequestId,
        LogicalResourceId: 'Bus',
        ResourceType: 'Custom::GithubEventBus',
        ResourceProperties: event.ResourceProperties,
      },
    });
  });

  it('reads a well-formed Update with its PhysicalResourceId and OldResourceProperties', () => {
    // Prepare
    const event = makeUpdate({ EventBusName: 'new-bus' }, { EventBusName: 'old-bus' }, 'old-bus');

    // Act
    const read = readRequest(event);

    // Assess
    expect(read.ok).toBe(true);
    expect(read.request).toMatchObject({
      RequestType: 'Update',
      PhysicalResourceId: 'old-bus',
      ResourceProperties: { EventBusName: 'new-bus' },
      OldResourceProperties: { EventBusName: 'old-bus' },
    });
  });

  it('reads a well-formed Delete with its PhysicalResourceId', () => {
    // Prepare
    const event = makeDelete('some-bus');

    // Act
    const read = readRequest(event);

    // Assess
    expect(read.ok).toBe(true);
    expect(read.request).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: 'some-bus' });
  });

  it('reads a missing ResourceType as empty rather than failing', () => {
    // Prepare
    const event = makeEvent({ ResourceType: undefined });

    // Act
    const read = readRequest(event);

    // Assess
    expect(read.ok).toBe(true);
    expect(read.request.ResourceType).toBe('');
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', '{"RequestType":"Create"}'],
    ['a number', 42],
    ['a list', [makeEvent()]],
  ])('names the problem when the event is %s', (_, event) => {
    // Prepare: the event itself

    // Act
    const read = readRequest(event);

    // Assess
    expect(read).toEqual({ ok: false, problem: 'the event is not an object', request: {} });
  });

  it.each(['ResponseURL', 'StackId', 'RequestId', 'LogicalResourceId'])('names a missing %s', (field) => {
    // Prepare
    const event = makeEvent({ [field]: undefined });

    // Act
    const read = readRequest(event);

    // Assess
    expect(read.ok).toBe(false);
    expect(!read.ok && read.problem).toBe(`missing or not a string: ${field}`);
  });

  it.each([
    ['a number', 7],
    ['an empty string', ''],
    ['an object', { url: RESPONSE_URL }],
  ])('names a ResponseURL that is %s', (_, value) => {
    // Prepare
    const event = makeEvent({ ResponseURL: value as string });

    // Act
    const read = readRequest(event);

    // Assess
    expect(!read.ok && read.problem).toBe('missing or not a string: ResponseURL');
  });

  it('names every missing field at once', () => {
    // Prepare
    const event = makeEvent({ StackId: undefined, RequestId: undefined });

    // Act
    const read = readRequest(event);

    // Assess
    expect(!read.ok && read.problem).toBe('missing or not a string: StackId, RequestId');
  });

  it('keeps the fields it could read from a malformed event, to answer with', () => {
    // Prepare
    const event = makeEvent({ RequestId: undefined });

    // Act
    const read = readRequest(event);

    // Assess
    expect(read.ok).toBe(false);
    expect(read.request).toMatchObject({ ResponseURL: RESPONSE_URL, StackId: STACK_ID, LogicalResourceId: 'Bus' });
  });

  it.each([
    ['an unknown word', 'Replace', 'unknown RequestType "Replace"'],
    ['lower case', 'create', 'unknown RequestType "create"'],
    ['missing', undefined, 'unknown RequestType undefined'],
    ['not a string', 3, 'unknown RequestType 3'],
  ])('names a RequestType that is %s', (_, requestType, problem) => {
    // Prepare
    const event = makeEvent({ RequestType: requestType as 'Create' });

    // Act
    const read = readRequest(event);

    // Assess
    expect(!read.ok && read.problem).toBe(problem);
  });

  it('quotes at most 40 characters of an unknown RequestType', () => {
    // Prepare
    const event = makeEvent({ RequestType: 'X'.repeat(1000) as 'Create' });

    // Act
    const read = readRequest(event);

    // Assess
    expect(!read.ok && read.problem).toBe(`unknown RequestType ${`"${'X'.repeat(39)}`}`);
  });

  it.each([
    ['Update', undefined],
    ['Update', ''],
    ['Delete', undefined],
    ['Delete', ''],
    ['Delete', 12],
  ] as const)('names the problem of a %s without a PhysicalResourceId (%p)', (requestType, physicalId) => {
    // Prepare
    const event = makeEvent({ RequestType: requestType, PhysicalResourceId: physicalId as string | undefined });

    // Act
    const read = readRequest(event);

    // Assess
    expect(!read.ok && read.problem).toBe(`a ${requestType} request needs a PhysicalResourceId`);
  });

  it.each([
    ['a string', 'EventBusName=x'],
    ['a list', []],
    ['null', null],
    ['missing', undefined],
  ])('accepts ResourceProperties that are %s: parsing them is the resource’s job', (_, properties) => {
    // Prepare
    const event = makeEvent({ ResourceProperties: properties });

    // Act
    const read = readRequest(event);

    // Assess
    expect(read.ok).toBe(true);
    expect(read.request.ResourceProperties).toBe(properties);
  });

  it('reads fields only from the event itself, not from its prototype', () => {
    // Prepare
    const event = Object.create({ ...makeEvent() });

    // Act
    const read = readRequest(event);

    // Assess
    expect(!read.ok && read.problem).toBe(
      'missing or not a string: ResponseURL, StackId, RequestId, LogicalResourceId',
    );
  });

  it('ignores a __proto__ key in the event without polluting any prototype', () => {
    // Prepare
    const json = JSON.stringify(makeEvent());
    const event = JSON.parse(`{"__proto__": {"polluted": "yes", "PhysicalResourceId": "x"}, ${json.slice(1)}`);

    // Act
    const read = readRequest(event);

    // Assess
    expect(read.ok).toBe(true);
    expect(read.request).not.toHaveProperty('polluted');
    expect(read.request.PhysicalResourceId).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('passes a __proto__ key inside ResourceProperties on as data, without polluting any prototype', () => {
    // Prepare
    const event = makeEvent({ ResourceProperties: JSON.parse('{"EventBusName": "b", "__proto__": {"polluted": 1}}') });

    // Act
    const read = readRequest(event);

    // Assess
    expect(read.ok).toBe(true);
    expect(Object.keys(read.request.ResourceProperties as object)).toEqual(['EventBusName', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
