import { readFileSync } from 'node:fs';
import { readSdkImports, SDK_MODULES, type SdkModule, typeScriptFiles } from '../lib/sdk-imports';

export { SDK_MODULES, type SdkModule };

/** Value (not type-only) names a source file imports from the SDK clients, per module. */
export const sdkValueImports = (source: string, fileName = 'source.ts'): Record<SdkModule, string[]> => {
  const { values, opaque } = readSdkImports(source, fileName);
  // A namespace or default import would keep the whole client; the floor could not be named from it.
  if (opaque.length > 0) throw new Error(`only named imports of the SDK can be benchmarked against a floor: ${opaque}`);
  const found: Record<SdkModule, string[]> = { '@aws-sdk/client-eventbridge': [], '@aws-sdk/client-schemas': [] };
  for (const { module, name } of values) found[module].push(name);
  return found;
};

/** What every `.ts` file under `directory` imports from the SDK clients as values, per module, sorted, unique. */
export const handlerSdkImports = (directory = 'handler'): Record<SdkModule, string[]> => {
  const all = typeScriptFiles(directory).map((path) => sdkValueImports(readFileSync(path, 'utf8'), path));
  const merged = (module: SdkModule) => [...new Set(all.flatMap((imports) => imports[module]))].sort();
  return {
    '@aws-sdk/client-eventbridge': merged('@aws-sdk/client-eventbridge'),
    '@aws-sdk/client-schemas': merged('@aws-sdk/client-schemas'),
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
