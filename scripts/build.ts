import { type BuildOptions, build } from 'esbuild';
import { readTemplate } from './lib/cfn-yaml';

// The esbuild options come from the function's Metadata in template.yaml, so what we test is what `sam build` ships.
type BuildProperties = {
  Format?: 'cjs' | 'esm';
  Minify?: boolean;
  Target?: string;
  Sourcemap?: boolean;
  SourcesContent?: boolean;
  EntryPoints: string[];
  External?: string[];
};

export const templateBuildProperties = (templatePath = 'template.yaml'): BuildProperties => {
  const template = readTemplate(templatePath);
  const fn = Object.values(template.Resources).find(
    (resource) => resource.Type === 'AWS::Serverless::Function' && resource.Metadata?.BuildMethod === 'esbuild',
  );
  if (!fn) throw new Error(`${templatePath} has no AWS::Serverless::Function with BuildMethod esbuild`);
  return fn.Metadata?.BuildProperties as BuildProperties;
};

export const esbuildOptions = (properties: BuildProperties, outdir = 'dist'): BuildOptions => ({
  entryPoints: properties.EntryPoints,
  bundle: true,
  platform: 'node',
  format: properties.Format ?? 'cjs',
  minify: properties.Minify ?? false,
  target: properties.Target ?? 'node20',
  sourcemap: properties.Sourcemap ?? false,
  sourcesContent: properties.SourcesContent ?? true,
  external: properties.External ?? [],
  outdir,
  metafile: true,
  logLevel: 'warning',
});

const main = async (): Promise<void> => {
  const result = await build(esbuildOptions(templateBuildProperties()));
  for (const [file, output] of Object.entries(result.metafile?.outputs ?? {})) {
    if (file.endsWith('.js')) console.log(`${file}: ${output.bytes} bytes`);
  }
};

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
