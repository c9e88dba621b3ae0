import { setTimeout as sleep } from 'node:timers/promises';
import { managedRuleName, SCHEMAS_MANAGER } from '../../emulator';
import type { CfnAnswer, Invocation } from '../local-cloudformation';
import { Checker, type DeliveryRecord, type Held } from './invariants';
import type { KnownBug } from './known-bugs';
import { LOGICAL_ID, otherStack, type StackKey } from './model';
import { nameOf, type RawProperties, showProperties } from './properties';
import { snapshot } from './resources';
import type { Delivery } from './steps';
import { type RequestType, ruleLingerFor, showTrouble, type Trouble } from './trouble';
import type { World } from './world';

export type HistoryOptions = {
  /** Known bugs whose triggers histories may hold (known-bugs.ts); the rest of the trouble is always on. */
  knownBugs: ReadonlySet<KnownBug>;
  /** The Lambda function's time per delivery. */
  lambdaTimeoutMs: number;
  /** The most steps a history takes (before the Deletes that end it). */
  maxSteps: number;
};

/** A request sent: the event, and the first answer to it, which CloudFormation acts on. */
export type Sent = { event: Record<string, unknown>; answer?: CfnAnswer };

export type SendOptions = {
  physicalResourceId?: string;
  oldProperties?: RawProperties;
  delivery?: Delivery;
  trouble: Trouble;
  /** The trouble is set already, around this request and others at once (see withTrouble). */
  troubleSet?: boolean;
  /** What CloudFormation holds before the request, and must still be there after it (see Checker.checkKept). */
  held: Held[];
  label: string;
};

// How long past the Lambda's time a delivery may still run before the run gives up on it.
const GRACE_MS = 2_000;

/** ServiceTimeout as CloudFormation enforces it: whole seconds from 1 to 3600, else none. */
const serviceTimeoutMs = (properties: RawProperties): number => {
  const seconds = Number(properties.ServiceTimeout);
  return Number.isInteger(seconds) && seconds >= 1 && seconds <= 3600 ? seconds * 1000 : Number.POSITIVE_INFINITY;
};

/** The real side of one history: sends requests through the world, keeps the transcript, checks as it goes. */
export class History {
  readonly transcript: string[] = [];
  readonly checker: Checker;
  /** The step's deliveries so far, for the answers check when it ends. */
  private deliveries: DeliveryRecord[] = [];
  /** Per stack, names whose last Delete answered FAILED: CloudFormation knows it may have left something. */
  readonly reported: Record<StackKey, Set<string>> = { A: new Set(), B: new Set() };
  /** Per stack, every bus name it has asked for; and the names people made buses under by hand. */
  readonly used: Record<StackKey, Set<string>> = { A: new Set(), B: new Set() };
  readonly handMade = new Set<string>();
  /** How often each kind of thing happened, for a sample to show what it covered. */
  readonly coverage = new Map<string, number>();
  private steps = 0;

  constructor(
    readonly world: World,
    readonly options: HistoryOptions,
  ) {
    this.checker = new Checker(world);
  }

  note(line: string): void {
    this.transcript.push(line);
  }

  count(what: string): void {
    this.coverage.set(what, (this.coverage.get(what) ?? 0) + 1);
  }

  /** Whether anyone else (a person, the other stack) has had a bus under one of the stack's names. */
  contested(stack: StackKey): boolean {
    const others = new Set([...this.handMade, ...this.used[otherStack(stack)]]);
    return [...this.used[stack]].some((name) => others.has(name));
  }

  /** A step begins (see Checker.beginStep); its number and description prefix what it breaks. */
  beginStep(description: string, acting: StackKey[]): void {
    this.steps += 1;
    this.checker.beginStep(`step ${this.steps} (${description})`, acting);
  }

  /** The step is over: every delivery answered exactly once, in time, and nothing foreign changed. */
  endStep(label: string): void {
    this.checker.checkAnswered(this.deliveries);
    this.deliveries = [];
    this.checker.checkForeign(label);
  }

  /** A request as CloudFormation sends it, delivered as Lambda does, with its trouble around it. */
  send(stack: StackKey, type: RequestType, properties: RawProperties, options: SendOptions): Promise<Sent> {
    const event = this.world.stacks[stack].request(type, LOGICAL_ID, structuredClone(properties), {
      physicalResourceId: options.physicalResourceId,
      oldProperties: options.oldProperties && structuredClone(options.oldProperties),
    });
    this.used[stack].add(nameOf(properties));
    return this.deliver(stack, event, options);
  }

  /** Resolves once no discoverer's managed rule outlives its discoverer (or after 3 s, whichever is first). */
  async rulesGone(): Promise<void> {
    const { emulator } = this.world;
    const lingering = () => {
      const discoverers = new Set(emulator.discoverers().map((discoverer) => managedRuleName(discoverer.id)));
      return emulator
        .buses()
        .some((bus) => bus.rules.some((rule) => rule.managedBy === SCHEMAS_MANAGER && !discoverers.has(rule.name)));
    };
    for (let waited = 0; waited < 3_000 && lingering(); waited += 100) await sleep(100);
  }

  /** Runs `work` with the trouble set on the emulator, and none after. */
  async withTrouble<T>(trouble: Trouble, type: RequestType, work: () => Promise<T>): Promise<T> {
    const { emulator } = this.world;
    for (const fault of trouble.faults) emulator.inject(fault);
    emulator.setRuleLinger(ruleLingerFor(trouble, type, this.options.knownBugs));
    emulator.setClockSkew(trouble.clockSkewMs);
    try {
      return await work();
    } finally {
      emulator.clearFaults();
      emulator.setRuleLinger(0);
      emulator.setClockSkew(0);
    }
  }

  /** Delivers an event (once more, for a late copy); returns the first answer it ever got. */
  async deliver(stack: StackKey, event: Record<string, unknown>, options: SendOptions): Promise<Sent> {
    const type = event.RequestType as RequestType;
    const before = snapshot(this.world.emulator);
    const once = () => this.deliverOnce(stack, event, options);
    const deliveries = async (): Promise<void> => {
      switch (options.delivery ?? 'once') {
        case 'twice':
          await once();
          await once();
          break;
        case 'concurrent':
          await Promise.all([once(), once()]);
          break;
        default:
          await once();
      }
    };
    await (options.troubleSet ? deliveries() : this.withTrouble(options.trouble, type, deliveries));
    const answer = this.world.stacks[stack].answersTo(String(event.RequestId))[0]?.answer;
    this.count(`${type} requests`);
    if (options.delivery && options.delivery !== 'once') this.count(`requests delivered ${options.delivery}`);
    if (answer?.Status === 'FAILED') this.count('FAILED answers');
    if (options.trouble.faults.length > 0) this.count('requests with faults');
    if (ruleLingerFor(options.trouble, type, this.options.knownBugs) > 0) this.count('requests with a lingering rule');
    const id = event.PhysicalResourceId ? ` ${event.PhysicalResourceId}` : '';
    const outcome = answer
      ? `${answer.Status} ${answer.PhysicalResourceId}${answer.Reason ? ` (${answer.Reason})` : ''}`
      : 'no answer';
    this.note(
      `  ${options.label}: ${type}${id} ${showProperties(event.ResourceProperties as RawProperties)}` +
        `${options.delivery && options.delivery !== 'once' ? ` delivered ${options.delivery}` : ''}` +
        `${showTrouble(options.trouble)} -> ${outcome}`,
    );
    this.checker.checkKept(before, options.held, options.label);
    this.checker.checkTagLimit(options.label);
    return { event, answer };
  }

  private async deliverOnce(stack: StackKey, event: Record<string, unknown>, options: SendOptions): Promise<void> {
    const cloudFormation = this.world.stacks[stack];
    const lambdaMs = Math.round(this.options.lambdaTimeoutMs * (options.trouble.shortLambda ? 0.6 : 1));
    // Lambda would end an invocation at its timeout; locally it runs on, so one that hangs must not hang the run.
    const giveUpMs = lambdaMs + GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    let invocation: Invocation | 'hung';
    try {
      invocation = await Promise.race([
        cloudFormation.deliver(event, lambdaMs),
        new Promise<'hung'>((resolve) => {
          timer = setTimeout(() => resolve('hung'), giveUpMs);
        }),
      ]);
    } catch (error) {
      this.checker.threw(options.label, error);
      return;
    } finally {
      clearTimeout(timer);
    }
    if (invocation === 'hung') {
      this.checker.hung(options.label, giveUpMs, lambdaMs);
      return;
    }
    this.world.onInvocation(invocation);
    this.deliveries.push({
      cloudFormation,
      requestId: String(event.RequestId),
      delivery: invocation.delivery ?? '',
      startedAt: invocation.startedAt,
      budgetMs: Math.min(lambdaMs, serviceTimeoutMs(event.ResourceProperties as RawProperties)),
      label: options.label,
    });
  }
}
