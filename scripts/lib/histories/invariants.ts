import type { CfnAnswer, LocalCloudFormation } from '../local-cloudformation';
import type { StackKey } from './model';
import {
  ADOPTED_TAG,
  faces,
  MAX_TAGS,
  namesOwnedBy,
  ownedUnder,
  ownerOf,
  type Snapshot,
  snapshot,
  userTags,
} from './resources';
import { successProblems } from './success';
import type { World } from './world';

export const INVARIANTS = {
  'one-answer': 'every delivery of a request answers exactly once',
  deadline: 'the answer arrives before the earlier of the Lambda timeout and ServiceTimeout',
  attributes: "a SUCCESS answer's physical id and attributes are those of what exists",
  'as-asked': 'after a SUCCESS, settings and tags are exactly as asked (ownership tags aside)',
  foreign: "resources that are not the acting stacks' own keep their settings, tags and existence",
  kept: 'what CloudFormation holds for a stack survives every request that does not delete it',
  'tag-limit': 'no resource is ever asked to hold more than 50 tags',
  leftover: "nothing of a stack's is left once CloudFormation's last Delete for it answered",
  settles: 'a rollback or Delete CloudFormation retries without any fault succeeds (stacks nobody else touches)',
} as const;

export type Invariant = keyof typeof INVARIANTS;
export type Violation = { invariant: Invariant; message: string };

/** One delivery, to check once its step is over that it answered exactly once, in time. */
export type DeliveryRecord = {
  cloudFormation: LocalCloudFormation;
  requestId: string;
  delivery: string;
  startedAt: number;
  budgetMs: number;
  label: string;
};

/** A bus name CloudFormation holds for a stack: its resources there must survive what does not delete them. */
export type Held = { stack: StackKey; name: string };

/** Checks the invariants against the emulator and collects what breaks them. */
export class Checker {
  readonly violations: Violation[] = [];
  private baseline: Snapshot = { buses: [], discoverers: [] };
  private acting: StackKey[] = [];
  private callsSeen = 0;
  /** Leftovers already reported, so that each is reported once, where it is first seen. */
  private readonly leftovers = new Set<string>();

  private step = '';
  private stepCalls = 0;

  constructor(private readonly world: World) {}

  private fail(invariant: Invariant, message: string): void {
    this.violations.push({ invariant, message: `${this.step}: ${message}` });
  }

  /** A step begins: only the acting stacks may change anything until it ends. */
  beginStep(step: string, acting: StackKey[]): void {
    this.step = step;
    this.stepCalls = this.world.emulator.calls.length;
    this.baseline = snapshot(this.world.emulator);
    this.acting = acting;
  }

  /** Everything not carrying an acting stack's tags at the step's start is as it was then. */
  checkForeign(label: string): void {
    const now = faces(snapshot(this.world.emulator));
    for (const [key, before] of faces(this.baseline)) {
      const owner = ownerOf(before.tags, this.world.stacks);
      if (owner && this.acting.includes(owner)) continue;
      const after = now.get(key);
      const whose = owner ? `stack ${owner}'s` : 'a foreign';
      if (!owner && after && this.adoptedByActing(before.tags, after.tags)) continue;
      if (!owner && after && this.handedBackThisStep(key, before.tags, after.tags)) continue;
      if (!after) this.fail('foreign', `${label}: ${whose} ${key} is gone`);
      else if (after.face !== before.face) {
        this.fail('foreign', `${label}: ${whose} ${key} changed from ${before.face} to ${after.face}`);
      }
    }
  }

  /**
   * A discoverer made by hand that an acting stack adopted (AdoptExisting): it may change as that stack asks, but
   * keeps the tags its maker gave it.
   */
  private adoptedByActing(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): boolean {
    const adopter = ownerOf(after, this.world.stacks);
    if (after[ADOPTED_TAG] !== 'true' || !adopter || !this.acting.includes(adopter)) return false;
    return JSON.stringify(userTags(before)) === JSON.stringify(userTags(after));
  }

  /**
   * A discoverer made by hand that an acting stack adopted and handed back within this step (a failed or cancelled
   * adoption): it is left as the stack last set it (state, description, cross-account), with its maker's tags.
   */
  private handedBackThisStep(
    key: string,
    before: Readonly<Record<string, string>>,
    after: Readonly<Record<string, string>>,
  ): boolean {
    const adopted = this.world.emulator.calls
      .slice(this.stepCalls)
      .some(
        (call) =>
          call.service === 'schemas' &&
          call.operation === 'TagResource' &&
          String((call.input as { ResourceArn?: string } | undefined)?.ResourceArn).endsWith(
            key.replace('discoverer ', '/'),
          ) &&
          (call.input as { Tags?: Record<string, string> } | undefined)?.Tags?.[ADOPTED_TAG] === 'true',
      );
    return adopted && JSON.stringify(userTags(before)) === JSON.stringify(userTags(after));
  }

  /** Every delivery answered exactly once, before its deadline. */
  checkAnswered(records: DeliveryRecord[]): void {
    for (const record of records) {
      const answers = record.cloudFormation
        .answersTo(record.requestId)
        .filter((received) => received.delivery === record.delivery);
      if (answers.length !== 1) {
        this.fail('one-answer', `${record.label}: delivery ${record.delivery} answered ${answers.length} times`);
        continue;
      }
      const late = (answers[0]?.at ?? 0) - (record.startedAt + record.budgetMs);
      if (late > 0) {
        this.fail('deadline', `${record.label}: answered ${late} ms after its ${record.budgetMs} ms were up`);
      }
    }
  }

  /** No call was refused for more than 50 tags, and no resource holds more. */
  checkTagLimit(label: string): void {
    const calls = this.world.emulator.calls.slice(this.callsSeen);
    this.callsSeen = this.world.emulator.calls.length;
    for (const call of calls) {
      const overLimit =
        call.error === 'LimitExceededException' ||
        (call.service === 'schemas' && call.operation === 'TagResource' && call.error === 'BadRequestException');
      if (overLimit) this.fail('tag-limit', `${label}: ${call.service} ${call.operation} refused: ${call.error}`);
    }
    const state = snapshot(this.world.emulator);
    for (const resource of [...state.buses, ...state.discoverers]) {
      const count = Object.keys(resource.tags).length;
      if (count > MAX_TAGS) this.fail('tag-limit', `${label}: ${resource.arn} holds ${count} tags`);
    }
  }

  /** What CloudFormation holds (bus and discoverer, where they were there before) is still there. */
  checkKept(before: Snapshot, held: Held[], label: string): void {
    const after = snapshot(this.world.emulator);
    for (const { stack, name } of held) {
      const had = ownedUnder(before, stack, name, this.world.stacks);
      const has = new Set(ownedUnder(after, stack, name, this.world.stacks));
      const lost = had.filter((key) => !has.has(key));
      if (lost.length > 0) this.fail('kept', `${label}: stack ${stack}'s ${lost.join(' and ')} went`);
    }
  }

  /** The answer CloudFormation acts on, when SUCCESS: its id and attributes, and the resources as asked. */
  checkSuccess(stack: StackKey, request: Record<string, unknown>, answer: CfnAnswer, label: string): void {
    const { attributes, asAsked } = successProblems(stack, request, answer, snapshot(this.world.emulator), this.world);
    if (attributes.length > 0) this.fail('attributes', `${label}: ${attributes.join('; ')}`);
    if (asAsked.length > 0) this.fail('as-asked', `${label}: ${asAsked.join('; ')}`);
  }

  /** Nothing of the stack's under a name but those allowed (the names whose last Delete answered FAILED). */
  checkLeftovers(stack: StackKey, allowed: ReadonlySet<string>, label: string): void {
    const state = snapshot(this.world.emulator);
    for (const name of namesOwnedBy(state, stack, this.world.stacks)) {
      if (allowed.has(name)) continue;
      const left = ownedUnder(state, stack, name, this.world.stacks).filter((key) => !this.leftovers.has(key));
      for (const key of left) this.leftovers.add(key);
      if (left.length > 0) this.fail('leftover', `${label}: stack ${stack}'s ${left.join(' and ')} left`);
    }
  }

  /** The calls made so far are not the handler's (a person's, by hand): the tag-limit check passes over them. */
  skipCalls(): void {
    this.callsSeen = this.world.emulator.calls.length;
  }

  /** A delivery whose handler threw instead of answering. */
  threw(label: string, error: unknown): void {
    this.fail('one-answer', `${label}: the handler threw ${(error as Error).message ?? String(error)}`);
  }

  /** A delivery still running well past the Lambda's time, which Lambda would have ended unanswered. */
  hung(label: string, ranMs: number, lambdaMs: number): void {
    this.fail('deadline', `${label}: still running ${ranMs} ms after it started, past the Lambda's ${lambdaMs} ms`);
  }

  /** A request CloudFormation retried without faults failed again. */
  unsettled(label: string, answer: CfnAnswer | undefined): void {
    this.fail('settles', `${label}: ${answer ? `FAILED: ${answer.Reason}` : 'no answer'}`);
  }
}
