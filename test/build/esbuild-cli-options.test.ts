import { optionsFromEsbuildArgs, UnsupportedEsbuildFlagError } from '../../scripts/lib/esbuild-cli-options';

describe('esbuild command-line flags as JavaScript API options', () => {
  it('maps switches, values and entry points', () => {
    // Act
    const options = optionsFromEsbuildArgs([
      'handler/index.ts',
      '--bundle',
      '--platform=node',
      '--outdir=dist',
      '--minify',
      '--target=node20,es2022',
      '--sourcemap',
      '--sources-content=false',
    ]);
    // Assess
    expect(options).toEqual({
      entryPoints: ['handler/index.ts'],
      bundle: true,
      platform: 'node',
      outdir: 'dist',
      minify: true,
      target: ['node20', 'es2022'],
      sourcemap: true,
      sourcesContent: false,
    });
  });

  it('collects --key:item into a list and --key:name=value into a map', () => {
    // Act
    const options = optionsFromEsbuildArgs([
      '--external:@aws-sdk/*',
      '--external:x',
      '--loader:.node=file',
      '--banner:js=// a=b',
    ]);
    // Assess
    expect(options).toEqual({
      entryPoints: [],
      external: ['@aws-sdk/*', 'x'],
      loader: { '.node': 'file' },
      banner: { js: '// a=b' },
    });
  });

  it.each([['--analyze'], ['--sources-content=maybe'], ['--log-limit=3'], ['-x']])(
    'refuses %s rather than dropping it',
    (flag) => {
      // Assess
      expect(() => optionsFromEsbuildArgs([flag])).toThrow(UnsupportedEsbuildFlagError);
    },
  );
});
