import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { putGithubEvent, sampleWorkflowJob } from './lib/github-event';

const USAGE = `Usage: npm run sample-event -- --bus NAME [--action queued|in_progress|completed] [--endpoint URL]
Puts a GitHub workflow_job webhook event on the bus, as the runners' webhook forwarder would, so that schema
discovery has something to infer. Without --endpoint it uses AWS with the default credential chain.`;

const main = async (): Promise<void> => {
  const args = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const index = args.indexOf(flag);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const bus = value('--bus');
  const action = (value('--action') ?? 'queued') as 'queued';
  if (!bus || args.includes('--help')) {
    console.log(USAGE);
    process.exit(bus ? 0 : 2);
  }
  const endpoint = value('--endpoint');
  const client = new EventBridgeClient(
    endpoint
      ? {
          endpoint,
          region: process.env.AWS_REGION ?? 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {},
  );
  const id = await putGithubEvent(client, bus, 'workflow_job', sampleWorkflowJob(action));
  console.log(`Put workflow_job (${action}) on ${bus}: event ${id}`);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
