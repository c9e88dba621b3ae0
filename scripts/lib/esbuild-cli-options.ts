import type { BuildOptions } from 'esbuild';

// esbuild's command-line flags as options of its JavaScript API, for the flags a SAM template can produce
// (https://esbuild.github.io/api/ lists both spellings). A flag not listed here fails loudly rather than being
// dropped, so `npm run build` can never quietly build something other than what `sam build` does.

export class UnsupportedEsbuildFlagError extends Error {
  override readonly name = 'UnsupportedEsbuildFlagError';
}

// `--flag`
const SWITCHES: Record<string, keyof BuildOptions> = {
  bundle: 'bundle',
  minify: 'minify',
  'minify-whitespace': 'minifyWhitespace',
  'minify-identifiers': 'minifyIdentifiers',
  'minify-syntax': 'minifySyntax',
  sourcemap: 'sourcemap',
  'keep-names': 'keepNames',
  'preserve-symlinks': 'preserveSymlinks',
};

// `--flag=value`: a string, a comma-separated list, or `true`/`false`.
const VALUES: Record<string, [keyof BuildOptions, 'string' | 'list' | 'boolean']> = {
  platform: ['platform', 'string'],
  outdir: ['outdir', 'string'],
  format: ['format', 'string'],
  target: ['target', 'list'],
  sourcemap: ['sourcemap', 'string'],
  'sources-content': ['sourcesContent', 'boolean'],
  'main-fields': ['mainFields', 'list'],
  'legal-comments': ['legalComments', 'string'],
  charset: ['charset', 'string'],
  packages: ['packages', 'string'],
  tsconfig: ['tsconfig', 'string'],
  'tree-shaking': ['treeShaking', 'boolean'],
};

// `--flag:item` (a list) or `--flag:key=value` (a map).
const COLLECTIONS: Record<string, [keyof BuildOptions, 'list' | 'map']> = {
  external: ['external', 'list'],
  inject: ['inject', 'list'],
  loader: ['loader', 'map'],
  'out-extension': ['outExtension', 'map'],
  banner: ['banner', 'map'],
  footer: ['footer', 'map'],
  define: ['define', 'map'],
};

const unsupported = (arg: string): never => {
  throw new UnsupportedEsbuildFlagError(
    `${arg}: scripts/lib/esbuild-cli-options.ts does not map this esbuild flag to the JavaScript API; add it there`,
  );
};

const parseValue = (arg: string, raw: string, kind: 'string' | 'list' | 'boolean'): unknown => {
  if (kind === 'list') return raw.split(',');
  if (kind === 'string') return raw;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return unsupported(arg);
};

/** BuildOptions equal to running the esbuild binary with `args`; arguments that are not flags are entry points. */
export const optionsFromEsbuildArgs = (args: readonly string[]): BuildOptions => {
  const options: Record<string, unknown> = {};
  const entryPoints: string[] = [];
  for (const arg of args) {
    const flag = /^--([a-z-]+)(?:([=:])(.*))?$/s.exec(arg);
    if (!flag) {
      if (arg.startsWith('-')) unsupported(arg);
      entryPoints.push(arg);
      continue;
    }
    const [, name = '', separator, rest = ''] = flag;
    if (separator === undefined) {
      const option = SWITCHES[name] ?? unsupported(arg);
      options[option] = true;
    } else if (separator === '=') {
      const [option, kind] = VALUES[name] ?? unsupported(arg);
      options[option] = parseValue(arg, rest, kind);
    } else {
      const [option, kind] = COLLECTIONS[name] ?? unsupported(arg);
      if (kind === 'list') {
        options[option] = [...((options[option] as string[] | undefined) ?? []), rest];
      } else {
        const equals = rest.indexOf('=');
        if (equals < 0) unsupported(arg);
        options[option] = {
          ...((options[option] as Record<string, string> | undefined) ?? {}),
          [rest.slice(0, equals)]: rest.slice(equals + 1),
        };
      }
    }
  }
  return { ...options, entryPoints };
};
