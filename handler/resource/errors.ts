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

export class BusHasRulesError extends Error {
  constructor(
    readonly busName: string,
    readonly ruleNames: string[],
    options?: { cause?: unknown },
  ) {
    const rules = ruleNames.length > 0 ? `: ${ruleNames.join(', ')}` : '';
    super(`Event bus ${busName} can't be deleted while it has rules${rules}. Delete those rules, then retry.`, options);
    this.name = 'BusHasRulesError';
  }
}
