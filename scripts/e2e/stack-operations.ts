// CreateStack, UpdateStack and DeleteStack of the test stack, each waited out on the stack's own events: the
// operation's events carry the ClientRequestToken it was started with, and it ends with the stack's own event in a
// status that is not *_IN_PROGRESS.
import {
  type CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type StackEvent,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';

/** A resource's failure in the operation, as the stack events give it. */
export type ResourceFailure = { logicalId: string; status: string; reason: string };

export type OperationResult = {
  /** The stack's status at the end: CREATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE, DELETE_COMPLETE, ... */
  status: string;
  failures: ResourceFailure[];
  outputs: Record<string, string>;
};

/** A stack operation that did not end within its time. */
export class OperationTimeoutError extends Error {
  override readonly name = 'OperationTimeoutError';
}

export type Waiting = {
  pollMs: number;
  /** How long one operation may take before the run gives up on it. */
  timeoutMs: number;
  sleep(ms: number): Promise<void>;
  now(): number;
};

const ENDED = /^(CREATE|UPDATE|DELETE|ROLLBACK|UPDATE_ROLLBACK|IMPORT|IMPORT_ROLLBACK)_(COMPLETE|FAILED)$/;

export class StackOperations {
  private tokens = 0;

  constructor(
    private readonly cloudFormation: CloudFormationClient,
    private readonly stackName: string,
    private readonly waiting: Waiting,
  ) {}

  /** The stack's id once CreateStack has answered; deletes and reads go by id, which outlives the stack. */
  stackId: string | undefined;

  private token(kind: string): string {
    this.tokens += 1;
    return `${this.stackName}-${kind}-${this.tokens}`;
  }

  async create(templateBody: string): Promise<OperationResult> {
    const token = this.token('create');
    const { StackId } = await this.cloudFormation.send(
      new CreateStackCommand({ StackName: this.stackName, TemplateBody: templateBody, ClientRequestToken: token }),
    );
    this.stackId = StackId ?? this.stackName;
    return this.waitFor(token);
  }

  async update(templateBody: string): Promise<OperationResult> {
    const token = this.token('update');
    await this.cloudFormation.send(
      new UpdateStackCommand({ StackName: this.stackId, TemplateBody: templateBody, ClientRequestToken: token }),
    );
    return this.waitFor(token);
  }

  async delete(): Promise<OperationResult> {
    const token = this.token('delete');
    await this.cloudFormation.send(new DeleteStackCommand({ StackName: this.stackId, ClientRequestToken: token }));
    return this.waitFor(token);
  }

  /** The operation's events, newest first: pages are read until one holds an event of an earlier operation. */
  private async eventsOf(token: string): Promise<StackEvent[]> {
    const events: StackEvent[] = [];
    let next: string | undefined;
    do {
      const page = await this.cloudFormation.send(
        new DescribeStackEventsCommand({ StackName: this.stackId, NextToken: next }),
      );
      const all = page.StackEvents ?? [];
      events.push(...all.filter((event) => event.ClientRequestToken === token));
      if (all.some((event) => event.ClientRequestToken !== token)) break;
      next = page.NextToken;
    } while (next);
    return events;
  }

  private async waitFor(token: string): Promise<OperationResult> {
    const started = this.waiting.now();
    for (;;) {
      const events = await this.eventsOf(token);
      const end = events.find(
        (event) =>
          event.LogicalResourceId === this.stackName &&
          event.ResourceType === 'AWS::CloudFormation::Stack' &&
          ENDED.test(event.ResourceStatus ?? ''),
      );
      if (end) return this.result(String(end.ResourceStatus), events);
      if (this.waiting.now() - started > this.waiting.timeoutMs) {
        throw new OperationTimeoutError(
          `${this.stackName} did not finish within ${Math.round(this.waiting.timeoutMs / 60_000)} min`,
        );
      }
      await this.waiting.sleep(this.waiting.pollMs);
    }
  }

  private async result(status: string, events: StackEvent[]): Promise<OperationResult> {
    const failures = events
      .filter((event) => event.ResourceStatus?.endsWith('_FAILED') && event.LogicalResourceId !== this.stackName)
      .reverse()
      .map((event) => ({
        logicalId: String(event.LogicalResourceId),
        status: String(event.ResourceStatus),
        reason: event.ResourceStatusReason ?? '',
      }));
    if (status === 'DELETE_COMPLETE') return { status, failures, outputs: {} };
    const { Stacks } = await this.cloudFormation.send(new DescribeStacksCommand({ StackName: this.stackId }));
    const outputs = Object.fromEntries(
      (Stacks?.[0]?.Outputs ?? []).map((output) => [String(output.OutputKey), String(output.OutputValue ?? '')]),
    );
    return { status, failures, outputs };
  }
}
