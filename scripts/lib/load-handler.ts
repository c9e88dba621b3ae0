import { ensureBundle } from './bundle';
import type { CfnHandler } from './local-cloudformation';

/**
 * The handler as tests and local tools run it: the built dist/index.js, as Lambda loads it; or, in the mutation
 * run (GITHUB_EVENT_BUS_TEST_HANDLER=source, see stryker.config.js), handler/index.ts from source, where
 * Stryker's mutants live. The require stays a literal so jest knows the tests depend on the handler's sources.
 */
export const loadHandler = async (): Promise<CfnHandler> => {
  const loaded =
    process.env.GITHUB_EVENT_BUS_TEST_HANDLER === 'source'
      ? (require('../../handler/index') as { handler: CfnHandler })
      : (require(await ensureBundle()) as { handler: CfnHandler });
  return loaded.handler;
};
