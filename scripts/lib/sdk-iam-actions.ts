import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The SDK v3 clients whose commands the handler may send, and the IAM service prefix of each. For both services the
 * IAM action of an API operation has the operation's name (the "API operations" tables of
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html and
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridgeschemas.html).
 */
export const SDK_IAM_PREFIXES: Readonly<Record<string, string>> = {
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-schemas': 'schemas',
};

/**
 * Actions an operation authorizes besides its own, per the same "API operations" tables: creating a bus or a
 * discoverer with tags is also authorized as TagResource on the new resource (the handler always tags what it creates).
 */
export const IMPLIED_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'events:CreateEventBus': ['events:TagResource'],
  'schemas:CreateDiscoverer': ['schemas:TagResource'],
};

export type SdkOperation = { module: string; operation: string; file: string };
export type SdkScan = { operations: SdkOperation[]; unsupported: string[] };

/**
 * The source with comments blanked out (string and template literals kept), so commented-out imports do not count.
 * Approximate: regex literals are not recognised, so a `//` inside one blanks the rest of its line.
 */
export const stripComments = (source: string): string => {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < source.length; i++) {
    const char = source[i] ?? '';
    const next = source[i + 1];
    if (quote !== undefined) {
      out += char;
      if (char === '\\') out += source[++i] ?? '';
      else if (char === quote) quote = undefined;
    } else if (char === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      out += '\n';
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 1;
      out += ' ';
    } else {
      if (char === "'" || char === '"' || char === '`') quote = char;
      out += char;
    }
  }
  return out;
};

const MODULES = Object.keys(SDK_IAM_PREFIXES)
  .map((name) => name.replace(/[/-]/g, '\\$&'))
  .join('|');
// `import {...} from 'm'` and `export {...} from 'm'`, the braces possibly spanning lines; group 1 marks `import type`.
const NAMED_IMPORT = new RegExp(
  `\\b(?:import|export)\\s+(type\\s+)?\\{([^}]*)\\}\\s*from\\s*['"](${MODULES})['"]`,
  'g',
);
// Forms whose operations cannot be read statically; a scan reporting them must not be trusted as complete.
const OPAQUE_USES: readonly RegExp[] = [
  new RegExp(`\\b(?:import|export)\\s+\\*\\s+(?:as\\s+\\w+\\s+)?from\\s*['"](?:${MODULES})['"]`, 'g'),
  new RegExp(`\\bimport\\s+\\w+\\s*(?:,\\s*\\{[^}]*\\})?\\s*from\\s*['"](?:${MODULES})['"]`, 'g'),
  new RegExp(`\\b(?:require|import)\\s*\\(\\s*['"](?:${MODULES})['"]\\s*\\)`, 'g'),
];
// The aggregated clients (`new EventBridge().createEventBus()`) reach every operation without naming a command.
const AGGREGATED_CLIENTS = new Set(['EventBridge', 'Schemas']);

/** Operations (names without `Command`) a source file sends or paginates through the SDK clients above. */
export const scanSource = (source: string, file = '<source>'): SdkScan => {
  const code = stripComments(source);
  const operations: SdkOperation[] = [];
  const unsupported: string[] = [];
  for (const match of code.matchAll(NAMED_IMPORT)) {
    const [, typeOnly, specifiers = '', module = ''] = match;
    if (typeOnly) continue;
    for (const specifier of specifiers.split(',')) {
      // `type X` is erased; `X as Y` imports X.
      const [imported] = specifier.trim().split(/\s+as\s+/);
      if (!imported || /^type\s/.test(imported)) continue;
      const command = /^([A-Z][A-Za-z0-9]*)Command$/.exec(imported);
      const paginator = /^paginate([A-Z][A-Za-z0-9]*)$/.exec(imported);
      const operation = command?.[1] ?? paginator?.[1];
      if (operation) operations.push({ module, operation, file });
      else if (AGGREGATED_CLIENTS.has(imported) || /^wait(Until|For)[A-Z]/.test(imported)) {
        unsupported.push(`${file}: ${imported} from ${module} sends operations no import names`);
      }
    }
  }
  for (const pattern of OPAQUE_USES) {
    for (const match of code.matchAll(pattern)) unsupported.push(`${file}: ${match[0].replace(/\s+/g, ' ')}`);
  }
  return { operations, unsupported };
};

/** `*.ts` files under a directory, recursively, tests and declaration files excluded. */
export const typeScriptFiles = (directory: string): string[] =>
  readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();

/** Every SDK operation used by the `.ts` files under `directory`, with file paths relative to `root`. */
export const scanDirectory = (directory: string, root = directory): SdkScan => {
  const scans = typeScriptFiles(directory).map((path) => scanSource(readFileSync(path, 'utf8'), relative(root, path)));
  return {
    operations: scans.flatMap((scan) => scan.operations),
    unsupported: scans.flatMap((scan) => scan.unsupported),
  };
};

/** The IAM actions a set of operations needs: `prefix:Operation` plus what each implies, sorted and unique. */
export const requiredActions = (operations: readonly SdkOperation[]): string[] => {
  const actions = new Set<string>();
  for (const { module, operation } of operations) {
    const action = `${SDK_IAM_PREFIXES[module]}:${operation}`;
    actions.add(action);
    for (const implied of IMPLIED_ACTIONS[action] ?? []) actions.add(implied);
  }
  return [...actions].sort();
};
