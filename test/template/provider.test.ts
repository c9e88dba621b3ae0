import { readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { FUNCTION_ID, fileExists, loadTemplate, ROOT, TEMPLATE_PATH } from './helpers';

/**
 * Lambda's Node.js runtimes that are neither deprecated nor in preview, with their deprecation dates, from
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html (as of 2026-11: nodejs20.x was deprecated on
 * 2026-04-30 and function creation on it is blocked; nodejs26.x is a public preview). A runtime counts as supported
 * until its deprecation date, so this test starts failing on the day Lambda stops patching the runtime: for the
 * deployed nodejs24.x, on 2028-04-30.
 */
const NODE_RUNTIME_DEPRECATION: Readonly<Record<string, string>> = {
  'nodejs22.x': '2027-04-30',
  'nodejs24.x': '2028-04-30',
};

const isSupportedRuntime = (runtime: unknown, now: Date): boolean => {
  const deprecation = typeof runtime === 'string' ? NODE_RUNTIME_DEPRECATION[runtime] : undefined;
  return deprecation !== undefined && now < new Date(`${deprecation}T00:00:00Z`);
};

// `export const handler`, `export function handler`, `export async function handler`, `export { handler }` or
// `export { x as handler }` (with or without `from`).
const exportsName = (source: string, name: string): boolean =>
  new RegExp(`export\\s+(?:const|let|var|(?:async\\s+)?function\\*?)\\s+${name}\\b`).test(source) ||
  [...source.matchAll(/export\s*\{([^}]*)\}/g)].some((match) =>
    (match[1] ?? '').split(',').some(
      (specifier) =>
        specifier
          .trim()
          .split(/\s+as\s+/)
          .pop() === name,
    ),
  );

const template = loadTemplate(TEMPLATE_PATH);
const fn = template.Resources[FUNCTION_ID];
const properties = fn?.Properties ?? {};
const buildProperties = (fn?.Metadata?.BuildProperties ?? {}) as Record<string, unknown>;
const entryPoints = (buildProperties.EntryPoints ?? []) as unknown[];
const [handlerModule, handlerExport] = String(properties.Handler).split('.');
const instance = template.Resources.GithubActionsEventBus;

describe('provider function', () => {
  it('is built by esbuild', () => {
    // Assess
    expect(fn?.Metadata?.BuildMethod).toBe('esbuild');
  });

  it('names in Handler the module esbuild writes for an entry point', () => {
    // Act: esbuild writes each entry point as <basename>.js at the artifact root.
    const modules = entryPoints.map((entry) => basename(String(entry), extname(String(entry))));

    // Assess
    expect(modules).toContain(handlerModule);
  });

  it('has an existing file for every esbuild entry point', () => {
    // Act
    const missing = entryPoints.filter((entry) => !fileExists(join(ROOT, String(entry))));

    // Assess
    expect(missing).toEqual([]);
  });

  it('exports the Handler function from its entry point', () => {
    // Prepare
    const entry = entryPoints.find((path) => basename(String(path), extname(String(path))) === handlerModule);
    const source = readFileSync(join(ROOT, String(entry)), 'utf8');

    // Act
    const exported = exportsName(source, String(handlerExport));

    // Assess
    expect(exported).toBe(true);
  });

  it.each([
    ['export const handlerFactory = 1;', false],
    ['const handler = 1;', false],
    ['export { other as handler };', true],
    ['export async function handler() {}', true],
  ])('reads whether %s exports handler', (source, expected) => {
    // Assess
    expect(exportsName(source, 'handler')).toBe(expected);
  });

  it('keeps BuildProperties literal, for the build script that reads them', () => {
    // Act
    const computed = Object.entries(buildProperties).filter(
      ([, value]) =>
        !['string', 'boolean'].includes(typeof value) &&
        !(Array.isArray(value) && value.every((item) => typeof item === 'string')),
    );

    // Assess
    expect(computed).toEqual([]);
  });

  it('sets no BuildProperty to false but Minify, since sam build passes no flag at all for false', () => {
    // Act: false only means something where it turns off one of aws-lambda-builders' defaults (--minify).
    const dropped = Object.entries(buildProperties).filter(([key, value]) => value === false && key !== 'Minify');

    // Assess
    expect(dropped).toEqual([]);
  });

  it('runs on a supported, not yet deprecated Lambda Node.js runtime', () => {
    // Act
    const supported = isSupportedRuntime(properties.Runtime, new Date());

    // Assess
    expect({ runtime: properties.Runtime, supported }).toEqual({ runtime: properties.Runtime, supported: true });
  });

  it('treats a deprecated runtime as unsupported', () => {
    // Act
    const supported = isSupportedRuntime('nodejs20.x', new Date('2026-05-01T00:00:00Z'));

    // Assess
    expect(supported).toBe(false);
  });

  it.each([
    ['2028-04-29T23:59:59Z', true],
    ['2028-04-30T00:00:00Z', false],
  ])('counts nodejs24.x as supported at %s: %s', (at, expected) => {
    // Assess
    expect(isSupportedRuntime('nodejs24.x', new Date(at))).toBe(expected);
  });

  it('runs on the supported runtime Lambda patches longest', () => {
    // Prepare
    const longest = Object.entries(NODE_RUNTIME_DEPRECATION).sort(([, a], [, b]) => b.localeCompare(a))[0]?.[0];

    // Assess
    expect(properties.Runtime).toBe(longest);
  });

  it('targets a Node.js no newer than the runtime, so the bundle runs there', () => {
    // Prepare
    const target = Number(/^node(\d+)/.exec(String(buildProperties.Target))?.[1]);
    const runtime = Number(/^nodejs(\d+)\.x$/.exec(String(properties.Runtime))?.[1]);

    // Assess
    expect(target).toBeLessThanOrEqual(runtime);
  });

  it('targets a Node.js no newer than the oldest one package.json supports, where the tests load the bundle', () => {
    // Prepare
    const target = Number(/^node(\d+)/.exec(String(buildProperties.Target))?.[1]);
    const { engines } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const oldest = Number(/^>=\s*(\d+)/.exec(engines.node)?.[1]);

    // Assess
    expect(target).toBeLessThanOrEqual(oldest);
  });

  it('logs to a log group of the stack that expires and is deleted with it', () => {
    // Prepare
    const logGroupRef = (properties.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)?.LogGroup?.Ref;
    const logGroup = template.Resources[String(logGroupRef)];

    // Assess
    expect(logGroup?.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup?.Properties?.RetentionInDays).toEqual(expect.any(Number));
    expect(logGroup?.DeletionPolicy ?? 'Delete').toBe('Delete');
  });
});

describe('Custom::GithubEventBus instance in template.yaml', () => {
  it('waits longer for an answer (ServiceTimeout) than the function may run (Timeout)', () => {
    // Assess
    expect(Number(instance?.Properties?.ServiceTimeout)).toBeGreaterThan(Number(properties.Timeout));
  });

  it('is never run by Lambda again after it failed, nor started too late to answer before the ServiceTimeout', () => {
    // Prepare
    const config = properties.EventInvokeConfig as { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
    // Assess: a late invocation could otherwise create after CloudFormation moved on
    expect(config?.MaximumRetryAttempts).toBe(0);
    // Lambda's least (60 s); any invocation started by then still answers within the ServiceTimeout
    expect(config?.MaximumEventAgeInSeconds).toBe(60);
    expect(Number(properties.Timeout) + Number(config?.MaximumEventAgeInSeconds)).toBeLessThanOrEqual(
      Number(instance?.Properties?.ServiceTimeout),
    );
  });

  it('depends on the function role, so the role outlives its Delete', () => {
    // Assess
    expect(instance?.DependsOn).toContain(`${FUNCTION_ID}Role`);
  });

  it('takes its ServiceToken from the function', () => {
    // Assess
    expect(instance?.Properties?.ServiceToken).toEqual({ 'Fn::GetAtt': [FUNCTION_ID, 'Arn'] });
  });
});

describe('EventBusName parameter', () => {
  const pattern = new RegExp(String(template.Parameters?.EventBusName?.AllowedPattern));

  it('allows its default', () => {
    // Assess
    expect(pattern.test(String(template.Parameters?.EventBusName?.Default))).toBe(true);
  });

  it.each([
    ['the default bus', 'default'],
    ['a partner-style name', 'aws.partner/github.com/x'],
    ['an empty name', ''],
    ['257 characters', 'a'.repeat(257)],
    ['a space', 'my bus'],
  ])('rejects %s', (_case, name) => {
    // Assess
    expect(pattern.test(name)).toBe(false);
  });

  it('allows 256 characters and "default" as part of a name', () => {
    // Assess
    expect([pattern.test('a'.repeat(256)), pattern.test('default-bus')]).toEqual([true, true]);
  });
});
