import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type BuildOptions, build } from 'esbuild';
import { readTemplate } from './lib/cfn-yaml';
import { optionsFromEsbuildArgs, UnsupportedEsbuildFlagError } from './lib/esbuild-cli-options';
import { SamBuildPropertiesError, type SamFunctionBuild, samEsbuildArgs } from './lib/sam-esbuild-args';

// `npm run build` bundles with exactly the esbuild command `sam build` derives from the function's Metadata in
// template.yaml (scripts/lib/sam-esbuild-args.ts), so the bundle the tests run is the one SAM ships.

const USAGE = `Usage: npm run build -- [--outdir DIR]
Type-checks, then bundles handler/ with the esbuild command sam build derives from template.yaml's BuildProperties.
  --outdir DIR  write index.js and index.js.map there instead of dist/`;

/** The esbuild function of a template: its BuildProperties, Handler, and package.json's dependencies. */
export const templateFunctionBuild = (templatePath = 'template.yaml'): SamFunctionBuild => {
  const template = readTemplate(templatePath);
  const fn = Object.values(template.Resources).find(
    (resource) => resource.Type === 'AWS::Serverless::Function' && resource.Metadata?.BuildMethod === 'esbuild',
  );
  if (!fn)
    throw new SamBuildPropertiesError(`${templatePath} has no AWS::Serverless::Function with BuildMethod esbuild`);
  const { dependencies = {} } = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies?: object };
  const handler = fn.Properties?.Handler;
  return {
    buildProperties: (fn.Metadata?.BuildProperties ?? {}) as Record<string, unknown>,
    ...(typeof handler === 'string' ? { handler } : {}),
    dependencies: Object.keys(dependencies),
  };
};

/** The JavaScript API's equivalent of the esbuild command sam build runs, plus a metafile (it changes no output). */
export const esbuildOptions = (fn: SamFunctionBuild, outdir = 'dist'): BuildOptions => ({
  ...optionsFromEsbuildArgs(samEsbuildArgs(fn, outdir)),
  metafile: true,
  logLevel: 'warning',
});

const main = async (): Promise<number> => {
  const { values } = parseArgs({ options: { outdir: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const fn = templateFunctionBuild();
  const outdir = values.outdir ?? 'dist';
  console.log(`esbuild ${samEsbuildArgs(fn, outdir).join(' ')}   (as sam build runs it)`);
  const result = await build(esbuildOptions(fn, outdir));
  for (const [file, output] of Object.entries(result.metafile?.outputs ?? {})) {
    if (file.endsWith('.js')) console.log(`${file}: ${output.bytes} bytes`);
  }
  return 0;
};

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof SamBuildPropertiesError || error instanceof UnsupportedEsbuildFlagError) {
        console.error(`npm run build: ${error.message}`);
      } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
        console.error(`npm run build: ${error.message}\n\n${USAGE}`);
        return process.exit(2);
      } else {
        console.error(error);
      }
      process.exit(1);
    },
  );
}
