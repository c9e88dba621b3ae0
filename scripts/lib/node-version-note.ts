import { readTemplate } from './cfn-yaml';

/** The oldest Node the AWS SDK for JavaScript v3 supports after early January 2027 (its own warning says so). */
export const SDK_MIN_NODE_MAJOR = 22;

/** The function's Runtime in template.yaml (nodejs22.x, ...), or undefined when it cannot be read. */
const functionRuntime = (templatePath: string): string | undefined => {
  try {
    const template = readTemplate(templatePath);
    const fn = Object.values(template.Resources).find((resource) => resource.Type === 'AWS::Serverless::Function');
    const runtime =
      fn?.Properties?.Runtime ?? (template.Globals as { Function?: { Runtime?: unknown } })?.Function?.Runtime;
    return typeof runtime === 'string' ? runtime : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Development runs on Node 20 and later (package.json's engines; CI machines have Node 20), the function on Lambda's
 * nodejs24.x. The AWS SDK warns on Node 20 and 21 that its releases after early January 2027 need Node 22: news for
 * whoever next updates the lockfile, not a fault of this run. It is eight lines from each copy of the SDK
 * (node_modules and the bundle), written whenever a client is first made, so it lands in the middle of a table, and
 * in every test file. So the command-line tools say it once, in one line (this function), and the tests not at all
 * (jest.config.js sets the SDK's own switch, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, as this does).
 *
 * On an older Node this writes the note to stderr (stdout stays a clean document for --json) and turns the SDK's
 * warning off for this process and its children. Call it before any SDK client is made.
 */
export const noteNodeVersion = (templatePath = 'template.yaml', version = process.version): string | undefined => {
  const major = Number(/^v(\d+)\./.exec(version)?.[1]);
  if (!(major < SDK_MIN_NODE_MAJOR) || process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === 'true') {
    return undefined;
  }
  // https://github.com/aws/aws-sdk-js-v3 (packages/core/src/submodules/client/emitWarningIfUnsupportedVersion.ts)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const runtime = functionRuntime(templatePath);
  const note =
    `Note: Node ${version} here${runtime ? `; the function runs on ${runtime}` : ''}. ` +
    `AWS SDK releases after early January 2027 need Node >= ${SDK_MIN_NODE_MAJOR}.`;
  process.stderr.write(`${note}\n`);
  return note;
};
