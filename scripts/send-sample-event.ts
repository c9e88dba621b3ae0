import { parseArgs } from 'node:util';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { describeSchemaCommand } from './lib/discovered-schema';
import { putGithubEvent, sampleWorkflowJob, WORKFLOW_JOB_ACTIONS } from './lib/github-event';

const USAGE = `Usage: npm run sample-event -- --bus NAME [--action queued|in_progress|completed] [--endpoint URL]
Puts a GitHub workflow_job webhook event on the bus, as the runners' webhook forwarder would, so that schema
discovery has something to infer. Without --endpoint it uses AWS with the default credential chain.`;

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      bus: { type: 'string' },
      action: { type: 'string', default: 'queued' },
      endpoint: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const { bus, action } = values;
  const known = WORKFLOW_JOB_ACTIONS.find((name) => name === action);
  if (!bus || !known || values.help) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const { endpoint } = values;
  const client = new EventBridgeClient(
    endpoint
      ? {
          endpoint,
          region: process.env.AWS_REGION ?? 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {},
  );
  const id = await putGithubEvent(client, bus, 'workflow_job', sampleWorkflowJob(known));
  console.log(`Put workflow_job (${known}) on ${bus}: event ${id}`);
  console.log(`If discovery is started on ${bus}, its schema is inferred into discovered-schemas; read it with:`);
  console.log(`  ${describeSchemaCommand(undefined, endpoint)}`);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
