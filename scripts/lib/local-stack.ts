import { randomBytes } from 'node:crypto';
import type { Invocation, LocalCloudFormation } from './local-cloudformation';

export type Properties = Record<string, unknown>;
type RequestType = 'Create' | 'Update' | 'Delete';

/**
 * Why CloudFormation sent a request: the stack operation's own, the rollback of a failed one, or the cleanup that
 * deletes what a replacement replaced.
 */
export type RequestRole = 'operation' | 'rollback' | 'cleanup';

export type StackRequest = {
  role: RequestRole;
  requestType: RequestType;
  properties: Properties;
  physicalResourceId?: string;
  oldProperties?: Properties;
};

export type AnsweredRequest = StackRequest & { invocation: Invocation };

export type StackStatus =
  | 'CREATE_COMPLETE'
  | 'ROLLBACK_COMPLETE'
  | 'ROLLBACK_FAILED'
  | 'UPDATE_COMPLETE'
  | 'UPDATE_ROLLBACK_COMPLETE'
  | 'UPDATE_ROLLBACK_FAILED'
  | 'DELETE_COMPLETE'
  | 'DELETE_FAILED';

export type StackOperation = { status: StackStatus; requests: AnsweredRequest[] };

/** The physical id and properties CloudFormation holds for the resource. */
export type ResourceRecord = { id: string; properties: Properties };

const succeeded = (invocation: Invocation): boolean => invocation.answers[0]?.Status === 'SUCCESS';

/**
 * One stack with one custom resource, played the way CloudFormation plays it: each stack operation sends its
 * request, and after a failure or a replacement the requests CloudFormation sends on its own (a failed Create's
 * Delete, a failed Update's rollback, a replaced resource's cleanup Delete), with the ids CloudFormation's record
 * holds. `onAnswered` sees each request as its answer arrives; `inFlight` is the one waiting for its answer.
 */
export class LocalStack {
  /** What CloudFormation's record holds of the resource; undefined before a Create and after a Delete. */
  resource?: ResourceRecord;
  inFlight?: StackRequest;

  constructor(
    private readonly cloudFormation: LocalCloudFormation,
    readonly logicalId: string,
    private readonly onAnswered: (request: AnsweredRequest) => void = () => undefined,
  ) {}

  async create(properties: Properties): Promise<StackOperation> {
    const created = await this.send({ role: 'operation', requestType: 'Create', properties });
    if (succeeded(created.invocation)) {
      this.resource = { id: this.answeredId(created), properties };
      return { status: 'CREATE_COMPLETE', requests: [created] };
    }
    // The stack's creation rolls back: CloudFormation always sends the Delete, with the id of the FAILED answer
    // (aws/aws-cdk#5525), or, when no answer came, one it makes up (cloudformation-coverage-roadmap#1814).
    this.resource = { id: this.answeredId(created), properties };
    const deleted = await this.deleteResource('rollback');
    return { status: deleted.ok ? 'ROLLBACK_COMPLETE' : 'ROLLBACK_FAILED', requests: [created, deleted.request] };
  }

  async update(properties: Properties): Promise<StackOperation> {
    const old = this.required('Update');
    const updated = await this.send({
      role: 'operation',
      requestType: 'Update',
      properties,
      physicalResourceId: old.id,
      oldProperties: old.properties,
    });
    if (succeeded(updated.invocation)) {
      const id = this.answeredId(updated);
      this.resource = { id, properties };
      if (id === old.id) return { status: 'UPDATE_COMPLETE', requests: [updated] };
      // A new id is a replacement: once the update is complete, the replaced resource is deleted. A cleanup that
      // fails does not fail the stack (it stays UPDATE_COMPLETE); its problems are the answer's.
      const cleanup = await this.send({
        role: 'cleanup',
        requestType: 'Delete',
        properties: old.properties,
        physicalResourceId: old.id,
      });
      return { status: 'UPDATE_COMPLETE', requests: [updated, cleanup] };
    }
    // The update rolls back: an Update back to the old properties, the failed ones as its OldResourceProperties.
    // Its PhysicalResourceId is what CloudFormation's record now holds: the FAILED answer's id, which it records
    // even for a failed Update (aws/aws-cdk#13527, #30012), or the old one when no answer came. For a replacement
    // that failed (a rename) this is the same as for any other Update: this handler answers a failed Update with
    // the request's own id, the old bus's name, so the rollback names the old bus, never the new one, which the
    // failed request has taken back itself. Were the rollback answered with another id, CloudFormation would
    // delete the one it sent, as the cleanup of a replacement.
    const sentId = this.answeredId(updated, old.id);
    const rollback = await this.send({
      role: 'rollback',
      requestType: 'Update',
      properties: old.properties,
      physicalResourceId: sentId,
      oldProperties: properties,
    });
    const requests = [updated, rollback];
    if (!succeeded(rollback.invocation)) {
      this.resource = { id: sentId, properties: old.properties };
      return { status: 'UPDATE_ROLLBACK_FAILED', requests };
    }
    const id = this.answeredId(rollback, sentId);
    this.resource = { id, properties: old.properties };
    if (id !== sentId) {
      requests.push(
        await this.send({ role: 'cleanup', requestType: 'Delete', properties, physicalResourceId: sentId }),
      );
    }
    return { status: 'UPDATE_ROLLBACK_COMPLETE', requests };
  }

  async delete(): Promise<StackOperation> {
    this.required('Delete');
    const deleted = await this.deleteResource('operation');
    return { status: deleted.ok ? 'DELETE_COMPLETE' : 'DELETE_FAILED', requests: [deleted.request] };
  }

  /** The Delete of the recorded resource; the record goes once it succeeds, and stays for a retry if not. */
  private async deleteResource(role: RequestRole): Promise<{ request: AnsweredRequest; ok: boolean }> {
    const { id, properties } = this.required('Delete');
    const request = await this.send({ role, requestType: 'Delete', properties, physicalResourceId: id });
    const ok = succeeded(request.invocation);
    if (ok) this.resource = undefined;
    return { request, ok };
  }

  private required(what: RequestType): ResourceRecord {
    if (!this.resource) throw new Error(`${what} of ${this.logicalId}: the stack holds no such resource`);
    return this.resource;
  }

  /** The answer's PhysicalResourceId; without an answer, `fallback`, or for a Create one CloudFormation makes up. */
  private answeredId(request: AnsweredRequest, fallback?: string): string {
    const answered = request.invocation.answers[0]?.PhysicalResourceId;
    if (answered) return answered;
    return (
      fallback ?? `${this.cloudFormation.stackName}-${this.logicalId}-${randomBytes(6).toString('hex').toUpperCase()}`
    );
  }

  private async send(request: StackRequest): Promise<AnsweredRequest> {
    this.inFlight = request;
    try {
      const invocation = await this.cloudFormation.send(
        request.requestType,
        this.logicalId,
        request.properties,
        request,
      );
      const answered = { ...request, invocation };
      this.onAnswered(answered);
      return answered;
    } finally {
      this.inFlight = undefined;
    }
  }
}
