// The child process of the memory section, bundled by esbuild into .bench/ and run with plain node: no tsx, no
// SDK of its own, so its peak RSS is the handler's plus this small harness's. Its one line of JSON goes to stdout.
import { type CfnHandler, type Invocation, LocalCloudFormation } from '../lib/local-cloudformation';

export type ChildReport = {
  /** Peak RSS in KiB: right after loading the handler, and at the end of the lifecycle. */
  loadedMaxRssKb: number;
  maxRssKb: number;
  /** CPU time (user + system) of loading the handler, and of the five requests. */
  loadCpuMs: number;
  lifecycleCpuMs: number;
  awsCalls: number;
  problems: string[];
};

type Step = {
  requestType: 'Create' | 'Update' | 'Delete';
  properties: Record<string, unknown>;
  physicalResourceId?: string;
  oldProperties?: Record<string, unknown>;
};

/** Create, Update (stop discovery), rename (a replacement), Delete of the old bus, Delete: a whole lifecycle. */
const lifecycle = (name: string): Step[] => {
  const created = {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:github-event-bus',
    EventBusName: name,
    Description: 'Memory benchmark bus',
    DiscovererState: 'STARTED',
    Tags: [{ Key: 'app', Value: 'bench' }],
  };
  const stopped = { ...created, DiscovererState: 'STOPPED' };
  const renamed = { ...stopped, EventBusName: `${name}-renamed` };
  return [
    { requestType: 'Create', properties: created },
    { requestType: 'Update', properties: stopped, oldProperties: created, physicalResourceId: name },
    { requestType: 'Update', properties: renamed, oldProperties: stopped, physicalResourceId: name },
    { requestType: 'Delete', properties: stopped, physicalResourceId: name },
    { requestType: 'Delete', properties: renamed, physicalResourceId: `${name}-renamed` },
  ];
};

const cpuMs = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1000;

const main = async (): Promise<ChildReport> => {
  const [mode, bundlePath = '', name = 'bench-memory'] = process.argv.slice(2);
  const loadStart = process.cpuUsage();
  // The no-op handler answers nothing and calls nothing: what remains is node plus this harness.
  const handler: CfnHandler =
    mode === 'noop' ? async () => undefined : (require(bundlePath) as { handler: CfnHandler }).handler;
  const loadCpuMs = cpuMs(process.cpuUsage(loadStart));
  const loadedMaxRssKb = process.resourceUsage().maxRSS;

  const cloudFormation = new LocalCloudFormation(handler);
  await cloudFormation.start();
  const lifecycleStart = process.cpuUsage();
  const invocations: Invocation[] = [];
  for (const step of lifecycle(name)) {
    invocations.push(await cloudFormation.send(step.requestType, 'BenchMemory', step.properties, step));
  }
  const lifecycleCpuMs = cpuMs(process.cpuUsage(lifecycleStart));
  await cloudFormation.stop();
  const problems =
    mode === 'noop'
      ? []
      : invocations.flatMap((invocation, index) =>
          invocation.answers[0]?.Status === 'SUCCESS'
            ? []
            : [`step ${index + 1}: ${invocation.answers[0]?.Reason ?? 'no answer'}`],
        );
  return {
    loadedMaxRssKb,
    maxRssKb: process.resourceUsage().maxRSS,
    loadCpuMs,
    lifecycleCpuMs,
    awsCalls: invocations.reduce((sum, invocation) => sum + invocation.awsCalls.length, 0),
    problems,
  };
};

main().then(
  (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
