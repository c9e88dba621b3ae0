import { FAKE_SIGNATURE } from '../fixtures/events';

// Every ResponseURL signature a test hands the handler; none may ever appear in anything written out.
const signatures = new Set<string>([FAKE_SIGNATURE]);
const leaks: string[] = [];

export const registerSignature = (signature: string): void => {
  if (signature) signatures.add(signature);
};

/** Records a leak for any known signature in `text` (from stdout, stderr, console or a captured invocation). */
export const scanForSignatures = (text: string): void => {
  for (const signature of signatures) {
    if (text.includes(signature))
      leaks.push(`${expect.getState().currentTestName ?? '(outside a test)'}: ${text.slice(0, 200)}`);
  }
};

export const signatureLeaks = (): readonly string[] => leaks;
