import { FaultConfigError } from './errors';
import type { ServiceName } from './model';

export type FaultAction =
  | { type: 'error'; name: string; status: number; message?: string }
  | { type: 'throttle' }
  | { type: 'delay'; ms: number }
  /** Never answers; with `applied`, only after the call has taken effect (an answer lost on a hung connection). */
  | { type: 'hang'; applied?: boolean }
  | { type: 'drop' };

export interface Fault {
  service?: ServiceName;
  operation?: string;
  /** Apply starting at the n-th matching call (1-based); default 1. */
  nth?: number;
  /** How many matching calls it applies to; default 1; Infinity = permanent. */
  times?: number;
  action: FaultAction;
}

interface FaultRule {
  fault: Fault;
  seen: number;
  applied: number;
}

function checkFault(fault: Fault): void {
  const nth = fault.nth ?? 1;
  const times = fault.times ?? 1;
  if (!Number.isInteger(nth) || nth < 1) throw new FaultConfigError(`nth must be a whole number >= 1, got ${nth}`);
  if (times !== Number.POSITIVE_INFINITY && (!Number.isInteger(times) || times < 1)) {
    throw new FaultConfigError(`times must be a whole number >= 1 or Infinity, got ${times}`);
  }
  const { action } = fault;
  if (action.type === 'delay' && !(Number.isFinite(action.ms) && action.ms >= 0)) {
    throw new FaultConfigError(`delay ms must be a finite number >= 0, got ${action.ms}`);
  }
  if (action.type === 'error' && !(Number.isInteger(action.status) && action.status >= 400 && action.status < 600)) {
    throw new FaultConfigError(`error status must be an HTTP error status, got ${action.status}`);
  }
}

/**
 * Fault rules in the order injected. Every rule counts the calls it matches; the first rule whose turn has
 * come (seen >= nth and applied < times) takes the call, so at most one fault applies per call.
 */
export class FaultInjector {
  private rules: FaultRule[] = [];

  inject(fault: Fault): void {
    checkFault(fault);
    this.rules.push({ fault, seen: 0, applied: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  take(service: ServiceName, operation: string): FaultAction | undefined {
    let chosen: FaultRule | undefined;
    for (const rule of this.rules) {
      const { fault } = rule;
      if (fault.service !== undefined && fault.service !== service) continue;
      if (fault.operation !== undefined && fault.operation !== operation) continue;
      rule.seen += 1;
      if (!chosen && rule.seen >= (fault.nth ?? 1) && rule.applied < (fault.times ?? 1)) chosen = rule;
    }
    if (!chosen) return undefined;
    chosen.applied += 1;
    return chosen.fault.action;
  }
}
