import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readTemplate, type Template } from '../../scripts/lib/cfn-yaml';

export const ROOT = join(__dirname, '..', '..');
export const TEMPLATE_PATH = join(ROOT, 'template.yaml');
export const CONSUMER_PATH = join(ROOT, 'examples', 'consumer.yaml');
export const HANDLER_DIR = join(ROOT, 'handler');

export const CUSTOM_RESOURCE_TYPE = 'Custom::GithubEventBus';
export const FUNCTION_ID = 'GithubEventBusFunction';

/** Both templates, by the path a failure message should show. */
export const TEMPLATES: readonly [string, string][] = [
  ['template.yaml', TEMPLATE_PATH],
  ['examples/consumer.yaml', CONSUMER_PATH],
];

export const loadTemplate = (path: string): Template => readTemplate(path);

/** A deep copy to mutate in a test without touching the template other tests read. */
export const clone = <T>(value: T): T => structuredClone(value);

export const fileExists = (path: string): boolean => existsSync(path);

/** Logical ids of the resources of a type. */
export const resourcesOfType = (template: Template, type: string): string[] =>
  Object.entries(template.Resources ?? {})
    .filter(([, resource]) => resource.Type === type)
    .map(([id]) => id);
