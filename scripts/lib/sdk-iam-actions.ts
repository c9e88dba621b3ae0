import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { readSdkImports, typeScriptFiles } from './sdk-imports';

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

// The aggregated clients (`new EventBridge().createEventBus()`) reach every operation without naming a command.
const AGGREGATED_CLIENTS = new Set(['EventBridge', 'Schemas']);

/** Operations (names without `Command`) a source file sends or paginates through the SDK clients above. */
export const scanSource = (source: string, file = '<source>'): SdkScan => {
  const { values, opaque } = readSdkImports(source, file);
  const operations: SdkOperation[] = [];
  const unsupported = [...opaque];
  for (const { module, name } of values) {
    const operation = (/^([A-Z][A-Za-z0-9]*)Command$/.exec(name) ?? /^paginate([A-Z][A-Za-z0-9]*)$/.exec(name))?.[1];
    if (operation) operations.push({ module, operation, file });
    else if (AGGREGATED_CLIENTS.has(name) || /^wait(Until|For)[A-Z]/.test(name)) {
      unsupported.push(`${file}: ${name} from ${module} sends operations no import names`);
    }
  }
  return { operations, unsupported };
};

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
