import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptions, templateFunctionBuild } from '../build';

export const BUNDLE_PATH = resolve('dist/index.js');

const newestSource = (dir: string): number =>
  Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
      entry.isDirectory() ? newestSource(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs,
    ),
  );

/** Builds dist/index.js (with the template's esbuild options) when it is missing or older than its sources. */
export const ensureBundle = async (): Promise<string> => {
  const built = (() => {
    try {
      return statSync(BUNDLE_PATH).mtimeMs;
    } catch {
      return 0;
    }
  })();
  if (built < Math.max(newestSource('handler'), statSync('template.yaml').mtimeMs)) {
    await build(esbuildOptions(templateFunctionBuild()));
  }
  return BUNDLE_PATH;
};
