import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SamBuildPropertiesError, samEsbuildArgs, snakeCase } from '../../scripts/lib/sam-esbuild-args';

// The rules of SAM CLI and aws-lambda-builders' EsbuildCommandBuilder, one per test (see the module's comment).
describe('the esbuild command sam build derives from BuildProperties', () => {
  let cwd: string;
  const args = (buildProperties: Record<string, unknown>, more: { handler?: string; dependencies?: string[] } = {}) =>
    samEsbuildArgs({ buildProperties, ...more }, 'out', cwd);

  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'sam-esbuild-args-'));
    writeFileSync(join(cwd, 'index.ts'), 'export const handler = 1;\n');
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('adds --bundle --platform=node and the defaults for an absent Target, Format and Minify', () => {
    // Act
    const command = args({ EntryPoints: ['index.ts'] });
    // Assess
    expect(command).toEqual([
      'index.ts',
      '--bundle',
      '--platform=node',
      '--outdir=out',
      '--target=es2020',
      '--format=cjs',
      '--minify',
    ]);
  });

  it('turns true into a bare flag and drops false, which then also drops the default --minify', () => {
    // Act
    const command = args({ EntryPoints: ['index.ts'], Minify: false, Sourcemap: true, KeepNames: false });
    // Assess
    expect(command.slice(4)).toEqual(['--target=es2020', '--format=cjs', '--sourcemap']);
  });

  it('passes a string as --kebab-case=value, in the order of the template', () => {
    // Act
    const command = args({ Target: 'node20', SourcesContent: 'false', Format: 'cjs', EntryPoints: ['index.ts'] });
    // Assess
    expect(command.slice(4)).toEqual(['--minify', '--target=node20', '--sources-content=false', '--format=cjs']);
  });

  it('passes a list as one --key:item per item', () => {
    // Act
    const command = args({ EntryPoints: ['index.ts'], External: ['@aws-sdk/*', 'x'], OutExtension: ['.js=.mjs'] });
    // Assess
    expect(command.slice(7)).toEqual(['--external:@aws-sdk/*', '--external:x', '--out-extension:.js=.mjs']);
  });

  it('ignores Bundle, Platform, Outdir and UseNpmCi, which are not the template’s to set', () => {
    // Act
    const command = args({
      EntryPoints: ['index.ts'],
      Bundle: false,
      Platform: 'browser',
      Outdir: 'x',
      UseNpmCi: true,
    });
    // Assess
    expect(command).toEqual(args({ EntryPoints: ['index.ts'] }));
  });

  it('takes the Handler’s module, with the extension that exists, when there are no EntryPoints', () => {
    // Act
    const command = args({ Target: 'node20' }, { handler: 'index.handler' });
    // Assess
    expect(command[0]).toBe('index.ts');
  });

  it('makes every package.json dependency external for External ./node_modules/*', () => {
    // Act
    const command = args({ EntryPoints: ['index.ts'], External: ['./node_modules/*'] }, { dependencies: ['a', 'b'] });
    // Assess
    expect(command).toEqual(['--external:a', '--external:b', ...args({ EntryPoints: ['index.ts'] })]);
  });

  it.each([
    ['a number', { EntryPoints: ['index.ts'], LogLimit: 3 }, /LogLimit is 3/],
    ['a map', { EntryPoints: ['index.ts'], Define: { a: 'b' } }, /Define is/],
    ['an entry point that does not exist', { EntryPoints: ['missing.ts'] }, /missing\.ts does not exist/],
    ['no entry points', { EntryPoints: [] }, /EntryPoints must be a non-empty list/],
  ])('fails on %s, as sam build does', (_case, buildProperties, message) => {
    // Assess
    expect(() => args(buildProperties)).toThrow(SamBuildPropertiesError);
    expect(() => args(buildProperties)).toThrow(message);
  });

  it.each([
    ['SourcesContent', 'sources_content'],
    ['EntryPoints', 'entry_points'],
    ['Minify', 'minify'],
    ['TSConfig', 't_s_config'],
  ])('normalizes %s to %s, as SAM CLI does', (key, expected) => {
    // Assess
    expect(snakeCase(key)).toBe(expected);
  });
});
