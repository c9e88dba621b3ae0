import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { findAwsAccess } from './lib/aws-access';
import { readFlags, StopError, UsageError } from './lib/cli-args';
import { describeSchemaCommand } from './lib/discovered-schema';
import { putGithubEvent, sampleWorkflowJob, WORKFLOW_JOB_ACTIONS } from './lib/github-event';
import { noteNodeVersion } from './lib/node-version-note';

const USAGE = `Usage: npm run sample-event -- --bus NAME [--action queued|in_progress|completed] [--endpoint URL]
Puts a GitHub workflow_job webhook event on the bus, as the runners' webhook forwarder would, so that schema
discovery has something to infer. Without --endpoint it uses AWS with the default credential chain.`;

const readArgs = (args: string[]) => {
  const values = readFlags(args, OPTIONS);
  if (values.help) return 'help';
  const { bus, endpoint } = values;
  const action = WORKFLOW_JOB_ACTIONS.find((name) => name === values.action);
  if (!bus) throw new UsageError('--bus NAME is required');
  if (!action) throw new UsageError(`--action takes ${WORKFLOW_JOB_ACTIONS.join(', ')}; got "${values.action}"`);
  if (endpoint !== undefined && !/^https?:$/.test(parsedProtocol(endpoint))) {
    throw new UsageError(`--endpoint must be an http:// or https:// URL, got "${endpoint}"`);
  }
  return { bus, action, endpoint };
};

const parsedProtocol = (raw: string): string => {
  try {
    return new URL(raw).protocol;
  } catch {
    return '';
  }
};

const OPTIONS = {
  bus: { type: 'string' },
  action: { type: 'string', default: 'queued' },
  endpoint: { type: 'string' },
  help: { type: 'boolean' },
} as const;

const main = async (): Promise<number> => {
  const options = readArgs(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  noteNodeVersion();
  const { bus, action, endpoint } = options;
  if (!endpoint) {
    const { missing } = await findAwsAccess();
    if (missing.length > 0) throw new StopError(`${missing.join('; ')}; or pass --endpoint URL for the local emulator`);
  }
  const client = new EventBridgeClient(
    endpoint
      ? {
          endpoint,
          // The AWS CLI's AWS_DEFAULT_REGION too, so the README's walk-through needs one region variable.
          region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {},
  );
  const id = await putGithubEvent(client, bus, 'workflow_job', sampleWorkflowJob(action)).catch((error: unknown) => {
    if (endpoint && (error as { code?: string }).code === 'ECONNREFUSED') {
      throw new StopError(`nothing answers at ${endpoint}: start it with npm run emulator (see README.md)`);
    }
    throw error;
  });
  console.log(`Put workflow_job (${action}) on ${bus}: event ${id}`);
  console.log(`If discovery is started on ${bus}, its schema is inferred into discovered-schemas; read it with:`);
  console.log(`  ${describeSchemaCommand(undefined, endpoint)}`);
  return 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof UsageError;
    // An AWS error keeps its name (ResourceNotFoundException: ...), which says what the message is about.
    console.error(
      usage
        ? `${error.message} (npm run sample-event -- --help lists the flags)`
        : error instanceof StopError
          ? error.message
          : error instanceof Error
            ? `${error.name}: ${error.message}`
            : error,
    );
    process.exit(usage ? 2 : 1);
  },
);
