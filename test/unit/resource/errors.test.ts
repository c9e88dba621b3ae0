// The resource's errors become FAILED Reasons as they are (cfn/lifecycle.ts adds no label to a name ending in
// Error): their messages are what a user reads in the stack events.
import { handleRequest } from '../../../handler/cfn/lifecycle';
import {
  BusHasRulesError,
  DiscovererQuotaError,
  ForeignResourceError,
  InvalidPropertiesError,
} from '../../../handler/resource/errors';
import { captureLogs } from '../../fixtures/capture-logs';
import { makeEvent, makeLambdaContext } from '../../fixtures/events';
import { startResponseServer } from '../../fixtures/response-server';

/** The FAILED Reason CloudFormation would show for a Create that throws `error`, without the pointer to the logs. */
const reasonFor = async (error: Error): Promise<string> => {
  captureLogs();
  const server = await startResponseServer();
  try {
    await handleRequest({ ...makeEvent(), ResponseURL: server.url }, makeLambdaContext(), {
      parse: (raw) => raw,
      create: async () => {
        throw error;
      },
      update: async () => ({ id: '', attributes: {} }),
      delete: async () => undefined,
      failedCreateId: () => 'failed-create',
    });
    return String(server.requests[0]?.json().Reason).replace(/ \(logs: .*\)$/, '');
  } finally {
    await server.close();
  }
};

describe('the Reason of a resource error', () => {
  it('lists every invalid property, separated by semicolons', async () => {
    // Act
    const reason = await reasonFor(new InvalidPropertiesError(['EventBusName is required', 'Foo is unknown']));

    // Assess
    expect(reason).toBe('Invalid properties: EventBusName is required; Foo is unknown');
  });

  it('is the message of a foreign resource, unlabelled', async () => {
    // Act
    const reason = await reasonFor(new ForeignResourceError('Event bus b already exists'));

    // Assess
    expect(reason).toBe('Event bus b already exists');
  });

  it('names the rules in the way of a delete', async () => {
    // Act
    const reason = await reasonFor(new BusHasRulesError('b', ['runner-queued', 'audit']));

    // Assess
    expect(reason).toBe(
      "Event bus b can't be deleted while it has rules: runner-queued, audit. Delete those rules (not the " +
        'Schemas-events-event-bus-* rule, which Schemas manages), then retry.',
    );
  });

  it('never tells a person to delete the discoverer’s own rule, even beside theirs', async () => {
    // Act
    const reason = await reasonFor(new BusHasRulesError('b', ['Schemas-events-event-bus-b', 'audit']));

    // Assess
    expect(reason).toMatch(/rules: audit\. Delete those rules \(not the Schemas-events-event-bus-\* rule/);
  });

  it('says to wait, not to delete, when only the discoverer’s own rule is left', async () => {
    // Act
    const reason = await reasonFor(new BusHasRulesError('b', ['Schemas-events-event-bus-b']));

    // Assess
    expect(reason).toBe(
      "Event bus b can't be deleted while it has rules: Schemas-events-event-bus-b, the schema discoverer's own " +
        'rule, which Schemas removes some time after the discoverer is deleted. Do not delete it by hand; retry in a minute.',
    );
  });

  it('names the quota of discoverers once, with AWS’s error as the only label', async () => {
    // Prepare
    const refusal = Object.assign(new Error('Limit exceeded.'), { name: 'BadRequestException' });

    // Act
    const reason = await reasonFor(new DiscovererQuotaError('eu-west-1', refusal));

    // Assess
    expect(reason).toMatch(
      /^CreateDiscoverer failed: BadRequestException: Limit exceeded\. The account has reached its quota of discoverers per Region in eu-west-1 \(10 by default\)\. .*Service Quotas.*request-service-quota-increase.*then retry\.$/,
    );
  });

  it('says only that there are rules when it cannot name them', async () => {
    // Act
    const reason = await reasonFor(new BusHasRulesError('b', []));

    // Assess
    expect(reason).toBe("Event bus b can't be deleted while it has rules. Delete those rules, then retry.");
  });
});
