import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { templateFunctionBuild } from '../../scripts/build';
import { samEsbuildArgs } from '../../scripts/lib/sam-esbuild-args';

const run = promisify(execFile);

const fingerprint = (file: string) => {
  const content = readFileSync(file);
  return { bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') };
};

describe('sam build and npm run build', () => {
  let dir: string;

  beforeAll(async () => {
    // Sibling output directories, so both source maps reach the sources by the same relative paths.
    dir = mkdtempSync(join(tmpdir(), 'sam-build-parity-'));
    await Promise.all([
      // What sam build runs: the esbuild binary of node_modules with the command derived from template.yaml.
      run(join('node_modules', '.bin', 'esbuild'), samEsbuildArgs(templateFunctionBuild(), join(dir, 'sam'))),
      run('npm', ['run', 'build', '--silent', '--', '--outdir', join(dir, 'npm')]),
    ]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['index.js', 'index.js.map'])('write the same %s, byte for byte', (file) => {
    // Assess
    expect(fingerprint(join(dir, 'npm', file))).toEqual(fingerprint(join(dir, 'sam', file)));
  });

  it('ship a source map without the sources, as SourcesContent says', () => {
    // Act
    const map = JSON.parse(readFileSync(join(dir, 'sam', 'index.js.map'), 'utf8')) as { sourcesContent?: unknown };
    // Assess
    expect(map.sourcesContent).toBeUndefined();
  });
});
