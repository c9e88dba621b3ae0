import { parseArgs } from 'node:util';
import { type RateLimit, startEmulator } from './emulator';

/** A command-line flag with a value the emulator cannot use. */
class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

function wholeNumber(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < 0) {
    throw new CliUsageError(`--${flag} must be a whole number >= 0, got "${raw}"`);
  }
  return value;
}

/** `--rate 4` or `--rate 4/8`: calls per second, and the burst (default: the rate). */
function rateLimit(raw: string | undefined): RateLimit | undefined {
  if (raw === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(raw.trim());
  const callsPerSecond = Number(match?.[1]);
  const burst = match?.[2] === undefined ? undefined : Number(match[2]);
  if (!match || !(callsPerSecond > 0) || (burst !== undefined && burst < 1)) {
    throw new CliUsageError(
      `--rate must be calls per second > 0, optionally /burst >= 1 (e.g. 4 or 4/8), got "${raw}"`,
    );
  }
  return { callsPerSecond, ...(burst === undefined ? {} : { burst }) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'latency-ms': { type: 'string' },
      'rule-linger-ms': { type: 'string' },
      'account-id': { type: 'string' },
      rate: { type: 'string' },
    },
  });
  const port = wholeNumber('port', values.port, 4599);
  if (port > 65535) throw new CliUsageError(`--port must be at most 65535, got ${port}`);
  const emulator = await startEmulator({
    port,
    latencyMs: wholeNumber('latency-ms', values['latency-ms'], 0),
    ruleLingerMs: wholeNumber('rule-linger-ms', values['rule-linger-ms'], 0),
    rateLimit: rateLimit(values.rate),
    ...(values['account-id'] ? { accountId: values['account-id'] } : {}),
  });
  const stop = () => {
    emulator.close().then(() => process.exit(0));
  };
  // Handlers first: whoever reads the URL may signal at once, and stdout to a pipe is written synchronously.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`Emulator listening on ${emulator.url}`);
  console.log(`AWS_ENDPOINT_URL=${emulator.url}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(error instanceof CliUsageError ? 2 : 1);
});
