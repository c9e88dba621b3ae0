import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** The SDK v3 clients the handler may use. */
export const SDK_MODULES = ['@aws-sdk/client-eventbridge', '@aws-sdk/client-schemas'] as const;
export type SdkModule = (typeof SDK_MODULES)[number];

export type SdkImports = {
  /** Names imported or re-exported as values (type-only ones are erased, so they do not count). */
  values: { module: SdkModule; name: string }[];
  /** Uses whose names cannot be read: namespace, default and star forms, `require()`, `import()`. */
  opaque: string[];
};

const sdkModule = (node: ts.Node | undefined): SdkModule | undefined =>
  node && ts.isStringLiteral(node) ? SDK_MODULES.find((module) => module === node.text) : undefined;

/**
 * What a source file takes from the SDK clients, read by TypeScript's own parser: comments, strings and
 * multi-line braces need no special care.
 */
export const readSdkImports = (source: string, file = '<source>'): SdkImports => {
  const result: SdkImports = { values: [], opaque: [] };
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const opaque = (node: ts.Node) => result.opaque.push(`${file}: ${node.getText(sourceFile).replace(/\s+/g, ' ')}`);
  const named = (module: SdkModule, elements: readonly (ts.ImportSpecifier | ts.ExportSpecifier)[]) => {
    for (const element of elements) {
      if (!element.isTypeOnly)
        result.values.push({ module, name: (element.propertyName ?? element.name).getText(sourceFile) });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const module = sdkModule(node.moduleSpecifier);
      const clause = node.importClause;
      if (module && clause && !clause.isTypeOnly) {
        const bindings = clause.namedBindings;
        if (clause.name || (bindings && ts.isNamespaceImport(bindings))) opaque(node);
        else named(module, bindings?.elements ?? []);
      }
    } else if (ts.isExportDeclaration(node)) {
      const module = sdkModule(node.moduleSpecifier);
      const clause = node.exportClause;
      if (module && !node.isTypeOnly) {
        if (!clause || ts.isNamespaceExport(clause)) opaque(node);
        else named(module, clause.elements);
      }
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isLoader =
        callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
      if (isLoader && sdkModule(node.arguments[0])) opaque(node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      if (sdkModule(node.moduleReference.expression)) opaque(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return result;
};

/** `*.ts` files under a directory, recursively, tests and declaration files excluded, sorted. */
export const typeScriptFiles = (directory: string): string[] =>
  readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !/\.(test|d)\.ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
