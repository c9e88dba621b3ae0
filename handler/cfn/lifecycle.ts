import { randomUUID } from 'node:crypto';
import { log, setLogContext, textOf } from '../log';
import type { Location, RequestContext } from '../resource/context';
import { type Deadline, requestBudget, startDeadline } from './deadline';
import { redactText, redactUrl } from './redact';
import { type CfnRequest, readRequest } from './request';
import { type ResponseBody, sendResponse } from './respond';

export type Outcome = { id: string; attributes: Record<string, string> };

/** What a custom resource provides; the CloudFormation protocol around it is this file's job. */
export type CustomResource<Properties> = {
  parse(raw: unknown): Properties;
  create(properties: Properties, context: RequestContext): Promise<Outcome>;
  update(id: string, properties: Properties, old: Properties | undefined, context: RequestContext): Promise<Outcome>;
  /**
   * `properties` are the Delete's ResourceProperties where they parse: a Delete whose id CloudFormation generated
   * itself (a Create it cancelled, or answered too late for it) names the resource only through them.
   */
  delete(id: string, context: RequestContext, properties?: Properties): Promise<void>;
  /** The PhysicalResourceId of a failed Create: one the Delete CloudFormation sends next can safely act on. */
  failedCreateId(rawProperties: unknown, requestId: string): string;
  /** Names the AWS operation an error came from, if it came from one. */
  operationOf?(error: unknown): string | undefined;
};

export type LambdaContext = {
  getRemainingTimeInMillis(): number;
  invokedFunctionArn?: string;
  logGroupName?: string;
  logStreamName?: string;
};

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(textOf(error)));

const reasonFor = <P>(error: unknown, resource: CustomResource<P>, context: LambdaContext, url: string): string => {
  const failure = asError(error);
  const operation = resource.operationOf?.(error);
  // Our own typed errors say everything in their message; AWS exceptions need their name and operation.
  const label = operation
    ? `${operation} failed: ${failure.name}: `
    : failure.name.endsWith('Error')
      ? ''
      : `${failure.name}: `;
  const logs = context.logGroupName ? ` (logs: ${context.logGroupName} ${context.logStreamName ?? ''})` : '';
  return redactText(`${label}${failure.message}${logs}`, url);
};

// arn:partition:lambda:region:account:function:name[:qualifier]
const FUNCTION_ARN = /^arn:([a-z-]+):lambda:([a-z0-9-]+):(\d{12}):function:/;

/** The function's partition, region and account, from the ARN it was invoked by. */
export const locationOf = (invokedFunctionArn: unknown): Location | undefined => {
  const [, partition, region, accountId] =
    (typeof invokedFunctionArn === 'string' && FUNCTION_ARN.exec(invokedFunctionArn)) || [];
  return partition && region && accountId ? { partition, region, accountId } : undefined;
};

/** Properties that only guide (a rollback's old ones, a Delete's): undefined where they do not parse. */
const parseGuide = <P>(resource: CustomResource<P>, raw: unknown): P | undefined => {
  // A rollback sends the failed (possibly invalid) properties as the old ones; they only guide the difference.
  try {
    return raw === undefined ? undefined : resource.parse(raw);
  } catch {
    return undefined;
  }
};

const run = async <P>(request: CfnRequest, resource: CustomResource<P>, context: RequestContext): Promise<Outcome> => {
  const id = request.PhysicalResourceId ?? '';
  switch (request.RequestType) {
    case 'Create':
      return resource.create(resource.parse(request.ResourceProperties), context);
    case 'Update':
      return resource.update(
        id,
        resource.parse(request.ResourceProperties),
        parseGuide(resource, request.OldResourceProperties),
        context,
      );
    case 'Delete':
      await resource.delete(id, context, parseGuide(resource, request.ResourceProperties));
      return { id, attributes: {} };
  }
};

/**
 * One CloudFormation request: answered exactly once, before the Lambda's deadline, whatever is thrown.
 * Never rejects.
 */
export const handleRequest = async <P>(
  event: unknown,
  lambda: LambdaContext,
  resource: CustomResource<P>,
): Promise<void> => {
  const started = Date.now();
  const read = readRequest(event);
  const request = read.request;
  const url = text(request.ResponseURL);
  setLogContext({
    requestType: text(request.RequestType),
    logicalResourceId: text(request.LogicalResourceId),
    requestId: text(request.RequestId),
  });
  log('INFO', 'request received', {
    physicalResourceId: text(request.PhysicalResourceId),
    responseUrl: url ? redactUrl(url) : undefined,
  });
  if (!url) {
    log('ERROR', 'malformed request and no ResponseURL to answer', { problem: read.ok ? '' : read.problem });
    return;
  }

  const echo = {
    StackId: text(request.StackId),
    RequestId: text(request.RequestId),
    LogicalResourceId: text(request.LogicalResourceId),
  };
  const ownId = text(request.PhysicalResourceId);
  let body: ResponseBody;
  if (!read.ok) {
    log('ERROR', 'malformed request', { problem: read.problem });
    body = {
      ...echo,
      Status: 'FAILED',
      Reason: `Malformed request: ${read.problem}`,
      // Not a valid bus name (":" is not allowed in one), so the Delete that may follow touches nothing.
      PhysicalResourceId: ownId || `invalid-request:${text(request.RequestId) || 'unknown'}`,
    };
    await sendResponse(url, body);
  } else {
    body = await answer(read.request, lambda, resource, url, echo, started);
  }
  log('INFO', 'request finished', { outcome: body.Status, ms: Date.now() - started });
};

const answer = async <P>(
  request: CfnRequest,
  lambda: LambdaContext,
  resource: CustomResource<P>,
  url: string,
  echo: Pick<ResponseBody, 'StackId' | 'RequestId' | 'LogicalResourceId'>,
  started: number,
): Promise<ResponseBody> => {
  const properties = request.ResourceProperties;
  const serviceTimeout =
    typeof properties === 'object' && properties !== null && Object.hasOwn(properties, 'ServiceTimeout')
      ? (properties as Record<string, unknown>).ServiceTimeout
      : undefined;
  // Every deadline counts from this moment, read before the Lambda's remaining time: then no deadline can be later
  // than the moment it stands for, even when the clock ticks between the two reads.
  const now = Date.now();
  const lambdaMs = lambda.getRemainingTimeInMillis();
  const budget = requestBudget(lambdaMs, serviceTimeout, now - started);
  // A Delete makes nothing to take back, so it may work until the answer must go.
  const deadline = startDeadline(budget, { undo: request.RequestType !== 'Delete', lambdaMs }, now);
  log('INFO', 'deadline', {
    source: budget.source,
    budgetMs: budget.totalMs,
    workMs: deadline.workAt - Date.now(),
    undoMs: deadline.answerAt - deadline.workAt,
    undoAfterAnswerMs: deadline.undoAt - deadline.answerAt,
  });
  // The work's own error, reported before its undo starts: the answer keeps it even if the undo outlasts the time.
  let failure: { error: unknown } | undefined;
  const context: RequestContext = {
    owner: { stackId: request.StackId, logicalId: request.LogicalResourceId },
    startedAt: started,
    marker: randomUUID(),
    signal: deadline.work,
    deadlineAt: deadline.workAt,
    undo: { signal: deadline.undo, deadlineAt: deadline.undoAt },
    failing: (error) => {
      failure ??= { error };
    },
    location: locationOf(lambda.invokedFunctionArn),
  };
  const running = run(request, resource, context);
  let settled = false;
  const done = running.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  let body: ResponseBody;
  try {
    const outcome = await Promise.race([running, deadline.expired]);
    body = { ...echo, Status: 'SUCCESS', PhysicalResourceId: outcome.id, Data: outcome.attributes };
  } catch (thrown) {
    body = failed(failure ? failure.error : thrown, request, resource, lambda, url, echo, deadline);
  }
  // The work is over: nothing of it may act after the answer. An undo still running goes on, on its own signal.
  deadline.endWork();
  await sendResponse(url, body);
  // Only an undo is waited for: work that ignored its abort is abandoned, as before the answer.
  if (!settled && failure) {
    log('INFO', 'answered; taking back partial work goes on', { untilMs: deadline.undoAt - Date.now() });
    await Promise.race([done, deadline.undoEnded]);
    if (!settled) log('WARN', 'the undo did not finish within the function’s time', {});
  }
  deadline.finish();
  return body;
};

const failed = <P>(
  thrown: unknown,
  request: CfnRequest,
  resource: CustomResource<P>,
  lambda: LambdaContext,
  url: string,
  echo: Pick<ResponseBody, 'StackId' | 'RequestId' | 'LogicalResourceId'>,
  deadline: Deadline,
): ResponseBody => {
  // Work cut short by its deadline fails with the abort it caused: the deadline is the reason. Work that failed on
  // its own keeps its own reason, even if undoing it ran past the work's deadline.
  const cutShort = deadline.workExpired() && (thrown as { name?: unknown } | null)?.name === 'AbortError';
  const error = cutShort ? deadline.error : thrown;
  // Redacted like the Reason: the message may quote the ResponseURL.
  const failure = asError(error);
  log('ERROR', 'request failed', { error: { name: failure.name, message: redactText(failure.message, url) } });
  const id =
    request.RequestType === 'Create'
      ? resource.failedCreateId(request.ResourceProperties, request.RequestId)
      : (request.PhysicalResourceId ?? '');
  return { ...echo, Status: 'FAILED', Reason: reasonFor(error, resource, lambda, url), PhysicalResourceId: id };
};
