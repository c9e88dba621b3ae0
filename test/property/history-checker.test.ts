import { KNOWN_BUG_NAMES } from '../../scripts/lib/histories/known-bugs';
import { playSteps } from '../../scripts/lib/histories/run';
import type { Step } from '../../scripts/lib/histories/steps';
import { NO_TROUBLE } from '../../scripts/lib/histories/trouble';
import { startWorld, type World } from '../../scripts/lib/histories/world';
import type { CfnHandler } from '../../scripts/lib/local-cloudformation';

// The invariants today's handler never breaks, broken on purpose by a stand-in for it: so that a handler that
// broke them would not pass the history tests unnoticed.
type Behaviour = (
  event: Record<string, unknown>,
  answer: (body: Record<string, unknown>) => Promise<void>,
) => Promise<void>;

let behaviour: Behaviour = async () => undefined;

const standIn: CfnHandler = async (raw) => {
  const event = raw as Record<string, unknown>;
  const answer = async (body: Record<string, unknown>) => {
    const echo = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
    await fetch(String(event.ResponseURL), { method: 'PUT', body: JSON.stringify({ ...echo, ...body }) });
  };
  await behaviour(event, answer);
};

let world: World;

beforeAll(async () => {
  world = await startWorld(standIn, { requestTimeoutMs: 250 });
});
afterAll(() => world.close());

const CREATE: Step = {
  kind: 'create',
  stack: 'A',
  properties: { EventBusName: 'history-a' },
  delivery: 'once',
  cancelled: false,
  trouble: NO_TROUBLE,
  follow: NO_TROUBLE,
};

// The Lambda's time per delivery: short, since two of these tests wait it out.
const LAMBDA_MS = 600;

const play = () =>
  playSteps(world, { knownBugs: new Set(KNOWN_BUG_NAMES), lambdaTimeoutMs: LAMBDA_MS, maxSteps: 1 }, [CREATE]);

const broken = async () => [...new Set((await play()).violations.map((violation) => violation.invariant))];

const failed = { Status: 'FAILED', Reason: 'no', PhysicalResourceId: 'history-a' };

/** The Delete that follows a failed Create succeeds: the stand-in made nothing. */
const deleted = (event: Record<string, unknown>) => ({
  Status: 'SUCCESS',
  PhysicalResourceId: String(event.PhysicalResourceId),
});

describe('the history checker, against a stand-in that breaks the protocol', () => {
  it('keeps every invariant for a stand-in that fails a Create at once and makes nothing', async () => {
    // Prepare
    behaviour = (event, answer) => answer(event.RequestType === 'Create' ? failed : deleted(event));

    // Act & Assess
    expect(await broken()).toEqual([]);
  });

  it('breaks one-answer for a delivery that answers twice', async () => {
    // Prepare
    behaviour = async (event, answer) => {
      await answer(event.RequestType === 'Create' ? failed : deleted(event));
      if (event.RequestType === 'Create') await answer(failed);
    };

    // Act & Assess
    expect(await broken()).toEqual(['one-answer']);
  });

  it('breaks deadline for an answer after the Lambda’s time', async () => {
    // Prepare
    behaviour = async (event, answer) => {
      if (event.RequestType === 'Create') await new Promise((resolve) => setTimeout(resolve, LAMBDA_MS + 200));
      await answer(event.RequestType === 'Create' ? failed : deleted(event));
    };

    // Act & Assess
    expect(await broken()).toEqual(['deadline']);
  });

  it('gives up on a delivery that never ends, as Lambda would, and breaks deadline', async () => {
    // Prepare
    behaviour = (event, answer) =>
      event.RequestType === 'Create'
        ? new Promise(() => undefined)
        : answer({ Status: 'SUCCESS', PhysicalResourceId: String(event.PhysicalResourceId) });

    // Act & Assess
    expect(await broken()).toEqual(['deadline']);
  });

  it('breaks attributes for a SUCCESS with nothing behind it', async () => {
    // Prepare
    behaviour = (event, answer) =>
      answer(
        event.RequestType === 'Create'
          ? {
              Status: 'SUCCESS',
              PhysicalResourceId: 'history-a',
              Data: {
                EventBusName: 'history-a',
                EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/history-a',
              },
            }
          : deleted(event),
      );

    // Act & Assess
    expect(await broken()).toEqual(['attributes']);
  });
});
