import { type CallRecord, DEFAULT_ACCOUNT_ID, type RateLimit, servedOperations, startEmulator } from './emulator';
import { readFlags, UsageError, wholeNumber } from './lib/cli-args';

/** The operations of one service after a label, wrapped at 120 columns. */
const operationLines = (label: string, operations: string[]): string => {
  const indent = ' '.repeat(label.length);
  const lines = [label];
  operations.forEach((operation, index) => {
    const item = index < operations.length - 1 ? `${operation},` : operation;
    const last = lines.at(-1) as string;
    if (last.trim() !== '' && last.length + item.length + 1 > 120) lines.push(`${indent}${item}`);
    else lines[lines.length - 1] = `${last}${last === label ? '' : ' '}${item}`;
  });
  return lines.join('\n');
};

const SERVED = servedOperations();
const USAGE = `Usage: npm run emulator -- [--port N] [--latency-ms N] [--rule-linger-ms N] [--account-id ID] [--rate R[/B]]
                            [--discoverer-quota N] [--verbose]
Serves EventBridge and EventBridge Schemas on 127.0.0.1 for the AWS CLI (--endpoint-url) or any SDK (endpoint),
until stopped: Ctrl-C, or a signal to it or to the npm that started it (kill $! after npm run emulator &).
  --port N            port to listen on (default 4599; 0 picks a free one)
  --latency-ms N      delay every answer by N ms (default 0)
  --rule-linger-ms N  keep a deleted discoverer's managed rule for N ms, as AWS does for a while (default 0)
  --account-id ID     the 12-digit account in ARNs (default ${DEFAULT_ACCOUNT_ID})
  --rate R[/B]        throttle calls beyond R per second (bursts of B, default R), as AWS does (default: none)
  --discoverer-quota N  refuse CreateDiscoverer beyond N discoverers per region, like the account quota (10 by
                      default on AWS) (default: no limit)
  --verbose           one line per request: time, service, operation, HTTP status, error code
It answers these operations, and any other with UnknownOperationException (whose message names them too):
${operationLines('  events   ', SERVED.events)}
${operationLines('  schemas  ', SERVED.schemas)}
Exits 0 when stopped, 1 when it cannot listen (say the port is taken), 2 on a bad flag.`;

/** `--rate 4` or `--rate 4/8`: calls per second, and the burst (default: the rate). */
function rateLimit(raw: string | undefined): RateLimit | undefined {
  if (raw === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(raw.trim());
  const callsPerSecond = Number(match?.[1]);
  const burst = match?.[2] === undefined ? undefined : Number(match[2]);
  if (!match || !(callsPerSecond > 0) || (burst !== undefined && burst < 1)) {
    throw new UsageError(`--rate must be calls per second > 0, optionally /burst >= 1 (e.g. 4 or 4/8), got "${raw}"`);
  }
  return { callsPerSecond, ...(burst === undefined ? {} : { burst }) };
}

const OPTIONS = {
  help: { type: 'boolean' },
  verbose: { type: 'boolean' },
  port: { type: 'string' },
  'latency-ms': { type: 'string' },
  'rule-linger-ms': { type: 'string' },
  'account-id': { type: 'string' },
  rate: { type: 'string' },
  'discoverer-quota': { type: 'string' },
} as const;

/** One line per answered request, for watching what a CLI or SDK sends. */
function requestLine(call: CallRecord, at = new Date()): string {
  const time = at.toISOString().slice(11, 23);
  return `${time} ${call.service} ${call.operation} ${call.status}${call.error ? ` ${call.error}` : ''}`;
}

async function main(): Promise<number | undefined> {
  const values = readFlags(process.argv.slice(2), OPTIONS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = wholeNumber('port', values.port, 4599, 0);
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const accountId = values['account-id'];
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) {
    throw new UsageError(`--account-id must be 12 digits, got "${accountId}"`);
  }
  const latencyMs = wholeNumber('latency-ms', values['latency-ms'], 0, 0);
  const ruleLingerMs = wholeNumber('rule-linger-ms', values['rule-linger-ms'], 0, 0);
  const quota = values['discoverer-quota'];
  const discovererQuota = quota === undefined ? undefined : wholeNumber('discoverer-quota', quota, 0, 0);
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({
      port,
      latencyMs,
      ruleLingerMs,
      rateLimit: rateLimit(values.rate),
      ...(discovererQuota === undefined ? {} : { discovererQuota }),
      ...(accountId ? { accountId } : {}),
      ...(values.verbose ? { onAnswer: (call: CallRecord) => console.log(requestLine(call)) } : {}),
    });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
    console.error(`Port ${port} is taken: stop what holds it, or pick another with --port N (0 picks a free one).`);
    return 1;
  }
  // A reader that went away (the terminal of an npm that was killed) must not turn the next write into a crash.
  process.stdout.on('error', () => undefined);
  const parent = process.ppid;
  const stop = (why: string) => {
    console.log(`Emulator stopped: ${why}.`);
    emulator.close().then(() => process.exit(0));
  };
  // Handlers first: whoever reads the URL may signal at once, and stdout to a pipe is written synchronously.
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  // npm does not pass a SIGTERM on to the script it runs (`npm run emulator &` then `kill $!` signals npm only), so
  // a dead parent is seen the one way it shows: this process is handed to another parent (init or a subreaper).
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    stop(`the process that started it (pid ${parent}) ended`);
  }, 250);
  console.log(`Emulator listening on ${emulator.url}`);
  console.log(`AWS_ENDPOINT_URL=${emulator.url}`);
  return undefined;
}

main().then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (error: unknown) => {
    const usage = error instanceof UsageError;
    console.error(usage ? `${error.message} (npm run emulator -- --help lists the flags)` : error);
    process.exit(usage ? 2 : 1);
  },
);
