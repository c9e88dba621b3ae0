import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTemplate, type Template } from '../../scripts/lib/cfn-yaml';

export const ROOT = join(__dirname, '..', '..');
export const TEMPLATE_PATH = join(ROOT, 'template.yaml');
export const CONSUMER_PATH = join(ROOT, 'examples', 'consumer.yaml');
export const HANDLER_DIR = join(ROOT, 'handler');
export const ATTRIBUTES_PATH = join(HANDLER_DIR, 'resource', 'attributes.ts');
export const PROPERTIES_PATH = join(HANDLER_DIR, 'resource', 'properties.ts');

export const CUSTOM_RESOURCE_TYPE = 'Custom::GithubEventBus';
export const FUNCTION_ID = 'GithubEventBusFunction';

/** Both templates, by the path a failure message should show. */
export const TEMPLATES: readonly [string, string][] = [
  ['template.yaml', TEMPLATE_PATH],
  ['examples/consumer.yaml', CONSUMER_PATH],
];

/**
 * The properties Custom::GithubEventBus accepts, as agreed with the handler. The handler's own list
 * (PROPERTY_NAMES in handler/resource/properties.ts) is compared with this one where it exists.
 */
export const ACCEPTED_PROPERTY_NAMES: readonly string[] = [
  'ServiceToken',
  'ServiceTimeout',
  'EventBusName',
  'Description',
  'DiscovererDescription',
  'DiscovererState',
  'CrossAccount',
  'DeadLetterConfig',
  'Tags',
  'AdoptExisting',
];

export const loadTemplate = (path: string): Template => readTemplate(path);

/** A deep copy to mutate in a test without touching the template other tests read. */
export const clone = <T>(value: T): T => structuredClone(value);

/**
 * The string elements of `export const NAME = [ ... ] as const` in a TypeScript file, read as text so the test needs
 * neither the handler compiled nor its imports resolvable. Throws when the declaration is missing.
 */
export const readConstStringArray = (path: string, name: string): string[] => {
  const source = readFileSync(path, 'utf8');
  const declaration = new RegExp(`export\\s+const\\s+${name}\\s*(?::[^=]+)?=\\s*\\[([^\\]]*)\\]`).exec(source);
  if (!declaration) throw new Error(`${path} has no "export const ${name} = [...]"`);
  return [...(declaration[1] ?? '').matchAll(/(['"`])([^'"`]*)\1/g)].map((match) => match[2] ?? '');
};

export const fileExists = (path: string): boolean => existsSync(path);

/** Logical ids of the resources of a type. */
export const resourcesOfType = (template: Template, type: string): string[] =>
  Object.entries(template.Resources ?? {})
    .filter(([, resource]) => resource.Type === type)
    .map(([id]) => id);
