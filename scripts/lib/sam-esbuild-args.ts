import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';

// The esbuild command line `sam build` runs for a function with `BuildMethod: esbuild`, derived from its
// `Metadata.BuildProperties` by the rules of SAM CLI and aws-lambda-builders, so `npm run build` can use the same:
//
// - SAM CLI turns each PascalCase key into snake_case (`re.sub("(?<!^)(?=[A-Z])", "_", key).lower()`) and, without
//   `EntryPoints`, takes the Handler's module as the one entry point:
//   https://github.com/aws/aws-sam-cli/blob/develop/samcli/lib/build/app_builder.py (`_get_build_options`) and
//   samcli/lib/samlib/resource_metadata_normalizer.py (`normalize_build_properties`).
// - aws-lambda-builders' EsbuildCommandBuilder writes the entry points, then `--bundle --platform=node --outdir=...`
//   and `--target=es2020`, `--format=cjs`, `--minify` for whichever of those keys is absent, then every other key
//   in order, snake_case turned kebab-case: a boolean `true` becomes `--key`, a boolean `false` nothing at all, a
//   string `--key=value`, a list `--key:item` per item; `bundle`, `platform` and `outdir` are its own and ignored,
//   anything else (a number, a map) fails the build:
//   https://github.com/aws/aws-lambda-builders/blob/develop/aws_lambda_builders/workflows/nodejs_npm_esbuild/esbuild.py
// - An `External` naming `./node_modules/*` makes every package.json dependency external instead
//   (aws_lambda_builders/workflows/nodejs_npm_esbuild/actions.py, `EsbuildBundleAction.execute`).

export class SamBuildPropertiesError extends Error {
  override readonly name = 'SamBuildPropertiesError';
}

export type SamFunctionBuild = {
  /** `Metadata.BuildProperties` as the template declares them. */
  buildProperties: Readonly<Record<string, unknown>>;
  /** `Properties.Handler`, e.g. `index.handler`. */
  handler?: string;
  /** package.json's `dependencies`, for `External: ['./node_modules/*']`. */
  dependencies?: readonly string[];
};

// Set by aws-lambda-builders itself, for the output to be what Lambda loads.
const NON_CONFIGURABLE = new Set(['bundle', 'platform', 'outdir']);
// Accepted in BuildProperties, but not esbuild flags.
const IGNORED = new Set(['use_npm_ci', 'entry_points']);

/** `SourcesContent` -> `sources_content`, as SAM CLI normalizes BuildProperties keys. */
export const snakeCase = (key: string): string => key.replace(/(?<!^)(?=[A-Z])/g, '_').toLowerCase();

const kebabCase = (key: string): string => key.replaceAll('_', '-');

/** An entry point without an extension gets `.ts`, else `.js`, whichever exists (`_get_explicit_file_type`). */
const explicitEntryPoint = (entryPoint: string, cwd: string): string => {
  if (extname(entryPoint)) {
    if (existsSync(resolve(cwd, entryPoint))) return entryPoint;
  } else {
    const withExtension = ['.ts', '.js'].map((extension) => entryPoint + extension);
    const found = withExtension.find((candidate) => existsSync(resolve(cwd, candidate)));
    if (found) return found;
  }
  throw new SamBuildPropertiesError(`entry point ${resolve(cwd, entryPoint)} does not exist`);
};

const configArgs = (key: string, value: unknown): string[] => {
  const flag = `--${kebabCase(snakeCase(key))}`;
  if (typeof value === 'boolean') return value ? [flag] : [];
  if (typeof value === 'string') return [`${flag}=${value}`];
  if (Array.isArray(value)) return value.map((item) => `${flag}:${String(item)}`);
  throw new SamBuildPropertiesError(
    `BuildProperties: ${key} is ${JSON.stringify(value)}; sam build takes only a boolean, a string or a list`,
  );
};

/** The arguments `sam build` passes to the esbuild binary (run in the directory holding the sources). */
export const samEsbuildArgs = (fn: SamFunctionBuild, outdir: string, cwd = process.cwd()): string[] => {
  // Template keys by their snake_case name (the last of two keys that normalize alike wins, as in SAM's dict).
  const config = new Map(Object.entries(fn.buildProperties).map(([key, value]) => [snakeCase(key), { key, value }]));
  const declared = fn.buildProperties.EntryPoints;
  const entryPoints =
    fn.handler && !(Array.isArray(declared) ? declared.length > 0 : declared)
      ? [fn.handler.split('.')[0] as string]
      : config.get('entry_points')?.value;
  if (!Array.isArray(entryPoints) || entryPoints.length === 0) {
    throw new SamBuildPropertiesError('BuildProperties: EntryPoints must be a non-empty list');
  }
  const external = config.get('external')?.value;
  const allExternal = Array.isArray(external) && external.includes('./node_modules/*');
  if (allExternal) config.delete('external');

  return [
    ...(allExternal ? (fn.dependencies ?? []).map((dependency) => `--external:${dependency}`) : []),
    ...entryPoints.map((entryPoint) => explicitEntryPoint(String(entryPoint), cwd)),
    '--bundle',
    '--platform=node',
    `--outdir=${outdir}`,
    ...(config.has('target') ? [] : ['--target=es2020']),
    ...(config.has('format') ? [] : ['--format=cjs']),
    ...(config.has('minify') ? [] : ['--minify']),
    ...[...config]
      .filter(([name]) => !NON_CONFIGURABLE.has(name) && !IGNORED.has(name))
      .flatMap(([, { key, value }]) => configArgs(key, value)),
  ];
};
