// Typed errors of the resource logic; cfn/lifecycle.ts turns each into one FAILED Reason.

export class InvalidPropertiesError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid properties: ${problems.join('; ')}`);
    this.name = 'InvalidPropertiesError';
  }
}

export class ForeignResourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForeignResourceError';
  }
}

// The rule a schema discoverer keeps on its bus: Schemas manages it, and it goes some time after the discoverer.
const isDiscovererRule = (busName: string, rule: string): boolean => rule === `Schemas-events-event-bus-${busName}`;

/**
 * Names the rules a person must delete, and never the discoverer's own rule, which must not be touched by hand: it
 * goes by itself once its discoverer is gone, and then retrying is all it takes.
 */
const hasRulesMessage = (busName: string, ruleNames: string[]): string => {
  const theirs = ruleNames.filter((rule) => !isDiscovererRule(busName, rule));
  const base = `Event bus ${busName} can't be deleted while it has rules`;
  if (theirs.length > 0) {
    return `${base}: ${theirs.join(', ')}. Delete those rules (not the Schemas-events-event-bus-* rule, which Schemas manages), then retry.`;
  }
  if (ruleNames.length > 0) {
    return `${base}: ${ruleNames.join(', ')}, the schema discoverer's own rule, which Schemas removes some time after the discoverer is deleted. Do not delete it by hand; retry in a minute.`;
  }
  return `${base}. Delete those rules, then retry.`;
};

export class BusHasRulesError extends Error {
  constructor(
    readonly busName: string,
    readonly ruleNames: string[],
    options?: { cause?: unknown },
  ) {
    super(hasRulesMessage(busName, ruleNames), options);
    this.name = 'BusHasRulesError';
  }
}

// AWS documents neither the error nor the message of a CreateDiscoverer refused at the quota, and the model declares
// no quota error for it: so a quota-named error, or a 400/403 refusal whose message speaks of a limit. An IAM refusal
// ("is not authorized to perform") never does.
const QUOTA_ERRORS = new Set(['LimitExceededException', 'ServiceQuotaExceededException']);
const REFUSALS = new Set(['BadRequestException', 'ForbiddenException']);
const QUOTA_WORDS = /limit|quota|maximum/i;

/** Whether an error of CreateDiscoverer says the account has as many discoverers in the region as it may. */
export const isDiscovererQuotaError = (error: unknown): error is Error =>
  error instanceof Error &&
  (QUOTA_ERRORS.has(error.name) || (REFUSALS.has(error.name) && QUOTA_WORDS.test(error.message)));

/**
 * CreateDiscoverer refused at the quota of discoverers per Region (10 by default):
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html#schema-quotas. The Reason keeps AWS's
 * words and says how to go on (https://docs.aws.amazon.com/servicequotas/latest/userguide/request-quota-increase.html).
 */
export class DiscovererQuotaError extends Error {
  constructor(
    readonly region: string,
    refusal: Error,
  ) {
    const words = refusal.message.trim().replace(/([^.])$/, '$1.');
    super(
      `CreateDiscoverer failed: ${refusal.name}: ${words} The account has reached its quota of discoverers per ` +
        `Region in ${region} (10 by default). Delete a discoverer it no longer uses, or raise the quota in Service ` +
        'Quotas (console, or aws service-quotas request-service-quota-increase; if it is not listed there, a quota ' +
        'increase case with AWS Support), then retry.',
      { cause: refusal },
    );
    this.name = 'DiscovererQuotaError';
  }
}
