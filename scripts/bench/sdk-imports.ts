import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export const SDK_MODULES = ['@aws-sdk/client-eventbridge', '@aws-sdk/client-schemas'] as const;
export type SdkModule = (typeof SDK_MODULES)[number];

/** Value (not type-only) names a source file imports from the SDK clients, read by TypeScript's own parser. */
export const sdkValueImports = (source: string, fileName = 'source.ts'): Record<SdkModule, string[]> => {
  const found: Record<SdkModule, string[]> = { '@aws-sdk/client-eventbridge': [], '@aws-sdk/client-schemas': [] };
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const module = statement.moduleSpecifier.text as SdkModule;
    if (!SDK_MODULES.includes(module)) continue;
    const clause = statement.importClause;
    if (!clause || clause.isTypeOnly) continue;
    const bindings = clause.namedBindings;
    // A namespace or default import would keep the whole client; the floor could not be named from it.
    if (clause.name || (bindings && ts.isNamespaceImport(bindings))) {
      throw new Error(`${fileName}: only named imports of ${module} can be benchmarked against a floor`);
    }
    for (const element of bindings?.elements ?? []) {
      if (!element.isTypeOnly) found[module].push((element.propertyName ?? element.name).text);
    }
  }
  return found;
};

/** What every `.ts` file under `directory` imports from the SDK clients as values, per module, sorted, unique. */
export const handlerSdkImports = (directory = 'handler'): Record<SdkModule, string[]> => {
  const all: Record<SdkModule, Set<string>> = {
    '@aws-sdk/client-eventbridge': new Set(),
    '@aws-sdk/client-schemas': new Set(),
  };
  const files = readdirSync(directory, { recursive: true, withFileTypes: true }).filter(
    (entry) => entry.isFile() && entry.name.endsWith('.ts') && !/\.(test|d)\.ts$/.test(entry.name),
  );
  for (const entry of files) {
    const path = join(entry.parentPath, entry.name);
    const imports = sdkValueImports(readFileSync(path, 'utf8'), path);
    for (const module of SDK_MODULES) for (const name of imports[module]) all[module].add(name);
  }
  return {
    '@aws-sdk/client-eventbridge': [...all['@aws-sdk/client-eventbridge']].sort(),
    '@aws-sdk/client-schemas': [...all['@aws-sdk/client-schemas']].sort(),
  };
};

/**
 * The floor bundle's entry: the two clients and exactly what the handler imports, re-exported so esbuild keeps
 * them. Both modules export TagResourceCommand and friends, hence the per-module aliases.
 */
export const floorEntrySource = (imports: Record<SdkModule, string[]>): string =>
  SDK_MODULES.map((module, index) => {
    const client = index === 0 ? 'EventBridgeClient' : 'SchemasClient';
    const names = [...new Set([client, ...imports[module]])].sort();
    return `export { ${names.map((name) => `${name} as m${index}_${name}`).join(', ')} } from '${module}';`;
  }).join('\n');
