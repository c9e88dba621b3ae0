import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DescribeEventBusCommand,
  type EventBridgeClient,
  PolicyLengthExceededException,
  PutPermissionCommand,
  RemovePermissionCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import type { Emulator } from '../../scripts/emulator';
import { busArn, rejectionOf, useEmulator } from './clients';

let emulator: Emulator;
let events: EventBridgeClient;
useEmulator((started) => {
  ({ emulator, events } = started);
});

const OTHER_ACCOUNT = '111122223333';

const grant = (sid: string, principal = OTHER_ACCOUNT) =>
  new PutPermissionCommand({
    EventBusName: 'orders',
    StatementId: sid,
    Action: 'events:PutEvents',
    Principal: principal,
  });

const policyOf = async (name: string): Promise<{ Statement: Record<string, unknown>[] } | undefined> => {
  const { Policy } = await events.send(new DescribeEventBusCommand({ Name: name }));
  return Policy === undefined ? undefined : JSON.parse(Policy);
};

beforeEach(async () => {
  await events.send(new CreateEventBusCommand({ Name: 'orders' }));
});

describe('PutPermission', () => {
  it('adds a statement that DescribeEventBus returns in the bus policy', async () => {
    // Act
    await events.send(grant('other-account'));

    // Assess
    expect(await policyOf('orders')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'other-account',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
          Action: 'events:PutEvents',
          Resource: busArn('orders'),
        },
      ],
    });
  });

  it('turns a Condition into the statement condition', async () => {
    // Act
    await events.send(
      new PutPermissionCommand({
        EventBusName: 'orders',
        StatementId: 'org',
        Action: 'events:PutEvents',
        Principal: '*',
        Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-1234567890' },
      }),
    );

    // Assess
    expect((await policyOf('orders'))?.Statement[0]).toMatchObject({
      Principal: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1234567890' } },
    });
  });

  it('replaces the whole policy when given one as Policy', async () => {
    // Prepare
    await events.send(grant('old'));
    const statement = { Sid: 'new', Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: '*' };

    // Act
    await events.send(
      new PutPermissionCommand({
        EventBusName: 'orders',
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
      }),
    );

    // Assess
    expect((await policyOf('orders'))?.Statement).toEqual([statement]);
  });

  it('replaces the statement of a StatementId granted again, in its place', async () => {
    // Prepare
    await events.send(grant('first'));
    await events.send(grant('second'));

    // Act
    await events.send(grant('first', '444455556666'));

    // Assess
    expect((await policyOf('orders'))?.Statement.map(({ Sid, Principal }) => ({ Sid, Principal }))).toEqual([
      { Sid: 'first', Principal: { AWS: 'arn:aws:iam::444455556666:root' } },
      { Sid: 'second', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` } },
    ]);
  });

  it('refuses a policy over 10 KB with PolicyLengthExceededException', async () => {
    // Prepare
    const statements = Array.from({ length: 120 }, (_, i) => ({
      Sid: `s${i}`,
      Effect: 'Allow',
      Resource: busArn('orders'),
    }));

    // Act
    const error = await rejectionOf(
      events.send(
        new PutPermissionCommand({ EventBusName: 'orders', Policy: JSON.stringify({ Statement: statements }) }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(PolicyLengthExceededException);
  });

  it('raises ResourceNotFoundException for a missing bus', async () => {
    // Act
    const error = await rejectionOf(
      events.send(
        new PutPermissionCommand({
          EventBusName: 'missing',
          StatementId: 's',
          Action: 'events:PutEvents',
          Principal: OTHER_ACCOUNT,
        }),
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('RemovePermission', () => {
  it('removes the statement with that StatementId and leaves the others', async () => {
    // Prepare
    await events.send(grant('a'));
    await events.send(grant('b', '444455556666'));

    // Act
    await events.send(new RemovePermissionCommand({ EventBusName: 'orders', StatementId: 'a' }));

    // Assess
    expect((await policyOf('orders'))?.Statement.map((statement) => statement.Sid)).toEqual(['b']);
  });

  it('leaves the bus without a policy once its last statement is removed', async () => {
    // Prepare
    await events.send(grant('a'));

    // Act
    await events.send(new RemovePermissionCommand({ EventBusName: 'orders', RemoveAllPermissions: true }));

    // Assess
    expect(await policyOf('orders')).toBeUndefined();
  });

  it('raises ResourceNotFoundException for a StatementId the policy does not have', async () => {
    // Act
    const error = await rejectionOf(
      events.send(new RemovePermissionCommand({ EventBusName: 'orders', StatementId: 'x' })),
    );

    // Assess
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('DeleteEventBus', () => {
  it('deletes a bus that has a policy statement, and the policy with it', async () => {
    // Prepare
    await events.send(grant('other-account'));

    // Act
    await events.send(new DeleteEventBusCommand({ Name: 'orders' }));

    // Assess
    expect(emulator.buses()).toEqual([]);
    await events.send(new CreateEventBusCommand({ Name: 'orders' }));
    expect(await policyOf('orders')).toBeUndefined();
  });
});
