// The discoverer steps as the resource logic relies on them: which discoverer counts as the bus's, what an
// update sends for each kind of difference, and which errors mean "gone" and which must reach CloudFormation.
import {
  BadRequestException,
  CreateDiscovererCommand,
  DeleteDiscovererCommand,
  DescribeDiscovererCommand,
  ForbiddenException,
  ListDiscoverersCommand,
  NotFoundException,
  SchemasClient,
  StartDiscovererCommand,
  UntagResourceCommand,
  UpdateDiscovererCommand,
} from '@aws-sdk/client-schemas';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createDiscoverer,
  type Discoverer,
  deleteDiscoverer,
  describeDiscoverer,
  discovererOn,
  findDiscoverer,
  handBackDiscoverer,
  setDiscovererState,
  updateDiscoverer,
} from '../../../handler/resource/discoverer';
import { DiscovererQuotaError } from '../../../handler/resource/errors';
import { parseProperties } from '../../../handler/resource/properties';
import {
  BUS_ARN,
  callNamesOf,
  DISCOVERER_ARN,
  DISCOVERER_ID,
  NAME,
  OWNER_TAGS,
  resourceContext,
} from '../../fixtures/resource';

const schemas = mockClient(SchemasClient);

const DESCRIPTION = `Schema discoverer for events on ${NAME} event bus`;
const LONGER_BUS_ARN = `${BUS_ARN}-staging`;

const props = (extra: Record<string, unknown> = {}) => parseProperties({ EventBusName: NAME, ...extra });

const ours = (overrides: Partial<Discoverer> = {}): Discoverer => ({
  id: DISCOVERER_ID,
  arn: DISCOVERER_ARN,
  sourceArn: BUS_ARN,
  state: 'STARTED',
  description: DESCRIPTION,
  crossAccount: true,
  tags: OWNER_TAGS,
  ...overrides,
});

const described = (id: string, sourceArn: string) => ({
  DiscovererId: id,
  DiscovererArn: `arn:aws:schemas:us-east-1:123456789012:discoverer/${id}`,
  SourceArn: sourceArn,
  State: 'STARTED' as const,
  CrossAccount: true,
  Tags: OWNER_TAGS,
});

const accessDenied = () => Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
const notFound = () =>
  new NotFoundException({ message: 'gone', Code: 'NotFoundException', Message: 'gone', $metadata: {} });

beforeEach(() => schemas.reset());

describe('updating a discoverer', () => {
  it('sends one UpdateDiscoverer when only the description differs, keeping cross-account discovery', async () => {
    // Act
    const updated = await updateDiscoverer(
      ours(),
      props({ DiscovererDescription: 'typed GitHub events' }),
      OWNER_TAGS,
      resourceContext(),
    );
    // Assess
    expect(callNamesOf(schemas)).toEqual(['UpdateDiscoverer']);
    expect(schemas).toHaveReceivedCommandWith(UpdateDiscovererCommand, {
      DiscovererId: DISCOVERER_ID,
      Description: 'typed GitHub events',
      CrossAccount: true,
    });
    expect(updated.description).toBe('typed GitHub events');
  });

  it('sends one UpdateDiscoverer when only cross-account discovery differs', async () => {
    // Act
    const updated = await updateDiscoverer(ours(), props({ CrossAccount: 'false' }), OWNER_TAGS, resourceContext());
    // Assess
    expect(callNamesOf(schemas)).toEqual(['UpdateDiscoverer']);
    expect(schemas).toHaveReceivedCommandWith(UpdateDiscovererCommand, {
      DiscovererId: DISCOVERER_ID,
      CrossAccount: false,
    });
    expect(updated.crossAccount).toBe(false);
  });

  it('sends nothing when neither differs', async () => {
    // Act
    await updateDiscoverer(ours(), props(), OWNER_TAGS, resourceContext());
    // Assess
    expect(callNamesOf(schemas)).toEqual([]);
  });
});

describe('finding the discoverer of a bus', () => {
  it('takes the discoverer at the usual id when it is on this bus, without listing', async () => {
    // Prepare
    schemas.on(DescribeDiscovererCommand).resolves(described(DISCOVERER_ID, BUS_ARN));
    // Act
    const found = await findDiscoverer(NAME, BUS_ARN, resourceContext());
    // Assess
    expect(found?.id).toBe(DISCOVERER_ID);
    expect(callNamesOf(schemas)).toEqual(['DescribeDiscoverer']);
  });

  it('lists by the bus ARN when the usual id is on another bus, and takes only the exact SourceArn', async () => {
    // Prepare: the usual id belongs to another bus; the listing's prefix also matches a longer-named bus.
    schemas
      .on(DescribeDiscovererCommand, { DiscovererId: DISCOVERER_ID })
      .resolves(described(DISCOVERER_ID, LONGER_BUS_ARN));
    schemas.on(ListDiscoverersCommand).resolves({
      Discoverers: [
        { DiscovererId: 'of-the-longer-bus', SourceArn: LONGER_BUS_ARN },
        { SourceArn: BUS_ARN },
        { DiscovererId: 'renamed', SourceArn: BUS_ARN },
      ],
    });
    schemas.on(DescribeDiscovererCommand, { DiscovererId: 'renamed' }).resolves(described('renamed', BUS_ARN));
    // Act
    const found = await findDiscoverer(NAME, BUS_ARN, resourceContext());
    // Assess
    expect(found?.id).toBe('renamed');
    expect(found?.sourceArn).toBe(BUS_ARN);
    expect(schemas).toHaveReceivedCommandWith(ListDiscoverersCommand, { SourceArnPrefix: BUS_ARN });
  });

  it('finds none when the listing holds only the discoverers of longer-named buses', async () => {
    // Prepare
    schemas.on(ListDiscoverersCommand).resolves({
      Discoverers: [{ DiscovererId: 'of-the-longer-bus', SourceArn: LONGER_BUS_ARN }],
    });
    // Act
    const found = await discovererOn(BUS_ARN, undefined, resourceContext());
    // Assess
    expect(found).toBeUndefined();
    expect(callNamesOf(schemas)).toEqual(['ListDiscoverers']);
  });

  it('counts a discoverer that is not there as none', async () => {
    // Prepare
    schemas.on(DescribeDiscovererCommand).rejects(notFound());
    // Act & Assess
    await expect(describeDiscoverer(DISCOVERER_ID, resourceContext())).resolves.toBeUndefined();
  });

  it('lets any other error of the read reach the caller, rather than reading it as "no discoverer"', async () => {
    // Prepare
    schemas.on(DescribeDiscovererCommand).rejects(accessDenied());
    // Act & Assess
    await expect(describeDiscoverer(DISCOVERER_ID, resourceContext())).rejects.toThrow('not authorized');
  });
});

describe('creating a discoverer at the account’s quota', () => {
  const QUOTA_MESSAGE = 'Limit exceeded: the account may have at most 10 discoverers in us-east-1';
  const create = () => createDiscoverer(BUS_ARN, props(), OWNER_TAGS, resourceContext());
  const refusal = (message: string) =>
    new BadRequestException({ message, Code: 'BadRequestException', Message: message, $metadata: {} });
  const forbidden = (message: string) =>
    new ForbiddenException({ message, Code: 'ForbiddenException', Message: message, $metadata: {} });

  it('fails with a Reason naming the quota, its Region, how to raise it, and AWS’s own words', async () => {
    // Prepare
    schemas.on(CreateDiscovererCommand).rejects(refusal(QUOTA_MESSAGE));

    // Act
    const error = await create().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(DiscovererQuotaError);
    expect((error as Error).message).toBe(
      `CreateDiscoverer failed: BadRequestException: ${QUOTA_MESSAGE}. The account has reached its quota of ` +
        'discoverers per Region in us-east-1 (10 by default). Delete a discoverer it no longer uses, or raise the ' +
        'quota in Service Quotas (console, or aws service-quotas request-service-quota-increase; if it is not ' +
        'listed there, a quota increase case with AWS Support), then retry.',
    );
    expect((error as Error).cause).toBeInstanceOf(BadRequestException);
    expect(schemas).toHaveReceivedCommandTimes(CreateDiscovererCommand, 1);
  });

  it.each([
    ['LimitExceededException', 'Too many.'],
    ['ServiceQuotaExceededException', 'Quota reached.'],
  ])('reads an error named %s as the quota too', async (name, message) => {
    // Prepare
    schemas.on(CreateDiscovererCommand).rejects(Object.assign(new Error(message), { name }));

    // Act
    const error = await create().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(DiscovererQuotaError);
    expect((error as Error).message).toContain(`CreateDiscoverer failed: ${name}: ${message} The account has`);
  });

  it('reads a ForbiddenException about the maximum number of discoverers as the quota', async () => {
    // Prepare
    const message = 'Maximum number of discoverers reached.';
    schemas.on(CreateDiscovererCommand).rejects(forbidden(message));

    // Act & Assess
    await expect(create()).rejects.toBeInstanceOf(DiscovererQuotaError);
  });

  it.each([
    ['a BadRequestException about something else', () => refusal('Event bus orders does not exist.')],
    [
      'an IAM refusal',
      () =>
        forbidden(
          'User: arn:aws:sts::123456789012:assumed-role/x is not authorized to perform: schemas:CreateDiscoverer',
        ),
    ],
    ['an error without a quota’s name or words', () => Object.assign(new Error('Limit exceeded'), { name: 'Oops' })],
  ])('lets %s reach the caller as it is', async (_name, thrown) => {
    // Prepare
    const original = thrown();
    schemas.on(CreateDiscovererCommand).rejects(original);

    // Act
    const error = await create().catch((caught: unknown) => caught);

    // Assess
    expect(error).toBe(original);
  });
});

describe('deleting a discoverer', () => {
  it('counts one already gone as deleted', async () => {
    // Prepare
    schemas.on(DeleteDiscovererCommand).rejects(notFound());
    // Act & Assess
    await expect(deleteDiscoverer(DISCOVERER_ID, resourceContext())).resolves.toBeUndefined();
    expect(schemas).toHaveReceivedCommandWith(DeleteDiscovererCommand, { DiscovererId: DISCOVERER_ID });
  });

  it('lets a refusal reach the caller', async () => {
    // Prepare
    schemas.on(DeleteDiscovererCommand).rejects(accessDenied());
    // Act & Assess
    await expect(deleteDiscoverer(DISCOVERER_ID, resourceContext())).rejects.toThrow('not authorized');
  });
});

describe('handing back an adopted discoverer', () => {
  it('removes only the tags this resource wrote, in one call', async () => {
    // Act
    await handBackDiscoverer(ours({ tags: { team: 'platform', ...OWNER_TAGS } }), resourceContext());
    // Assess
    expect(callNamesOf(schemas)).toEqual(['UntagResource']);
    expect(schemas).toHaveReceivedCommandWith(UntagResourceCommand, {
      ResourceArn: DISCOVERER_ARN,
      TagKeys: Object.keys(OWNER_TAGS),
    });
  });

  it('makes no call for a discoverer that carries none of our tags', async () => {
    // Act
    await handBackDiscoverer(ours({ tags: { team: 'platform' } }), resourceContext());
    // Assess
    expect(callNamesOf(schemas)).toEqual([]);
  });
});

describe('starting and stopping discovery', () => {
  it('reports the state Schemas answers with', async () => {
    // Prepare
    schemas.on(StartDiscovererCommand).resolves({ DiscovererId: DISCOVERER_ID, State: 'STARTED' });
    // Act
    const started = await setDiscovererState(ours({ state: 'STOPPED' }), 'STARTED', resourceContext());
    // Assess
    expect(started.state).toBe('STARTED');
    expect(schemas).toHaveReceivedCommandWith(StartDiscovererCommand, { DiscovererId: DISCOVERER_ID });
  });
});
