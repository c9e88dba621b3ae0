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
