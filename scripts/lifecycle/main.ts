import { writeSync } from 'node:fs';
import { readFlags, StopError, UsageError } from '../lib/cli-args';
import { noteNodeVersion } from '../lib/node-version-note';
import { interruption, sayNow } from './interruption';
import { type RunOptions, type RunReport, runLifecycle } from './run';
import { checkEndpoint, type Mode } from './targets';

const USAGE = `Usage: npm start -- [--json] [--endpoint URL | --aws [--yes]] [--template FILE] [--parameter NAME=VALUE ...]
Plays the Custom::GithubEventBus of a template through a whole CloudFormation stack lifecycle, as a stack of its
own: Create -> Update (stop discovery) -> Update (rename: a replacement, then the old bus's Delete) -> Delete, and
after a failed step the rollback CloudFormation sends. The stack is deleted at the end whatever happened; what it
made and is still there is reported as left behind.
  (default)              against an EventBridge + Schemas endpoint embedded in this process, on loopback
  --endpoint URL         against another endpoint that speaks both APIs (LocalStack, npm run emulator, ...)
  --aws                  against the AWS account of the default credential chain; asks first unless --yes
  --template FILE        play the Custom::GithubEventBus declared in FILE instead of template.yaml (a copy with
                         another ServiceTimeout or another parameter, say)
  --parameter NAME=VALUE a value for one of the template's Parameters (repeatable; the others keep their Default),
                         checked as CloudFormation checks it: --parameter EventBusName=my-bus
  --json                 one JSON document for machines instead of the table, also when the run cannot go on
Exits 0 when every answer is one CloudFormation accepts and nothing is left behind, 1 when not or the run cannot go
on (one line says why), 2 on a bad flag or parameter, 130 when interrupted: Ctrl-C lets the request in flight be
answered, then deletes what the stack made; a second Ctrl-C stops at once.`;

const OPTIONS = {
  help: { type: 'boolean' },
  json: { type: 'boolean' },
  endpoint: { type: 'string' },
  aws: { type: 'boolean' },
  yes: { type: 'boolean' },
  template: { type: 'string' },
  parameter: { type: 'string', multiple: true },
} as const;

const readArgs = (args: string[]): RunOptions | 'help' => {
  // Strict: a mistyped flag (say --aws-yes) must stop the run, not be ignored on the way to a real account.
  const values = readFlags(args, OPTIONS);
  if (values.help) return 'help';
  if (values.aws && values.endpoint !== undefined) throw new UsageError('--aws and --endpoint exclude each other');
  if (values.yes && !values.aws) throw new UsageError('--yes only answers the question --aws asks');
  if (values.endpoint !== undefined) checkEndpoint(values.endpoint);
  const mode: Mode = values.aws
    ? { kind: 'aws', yes: values.yes === true }
    : values.endpoint !== undefined
      ? { kind: 'endpoint', url: values.endpoint }
      : { kind: 'embedded' };
  return {
    mode,
    json: values.json === true,
    template: values.template ?? 'template.yaml',
    parameters: values.parameter ?? [],
  };
};

/** Exit codes: 0 every step accepted, 1 a step failed or the run could not go on, 2 usage, 130 interrupted. */
export const main = async (args: string[]): Promise<number> => {
  const json = args.includes('--json');
  // Every key in the order the document shows them; those still undefined at the end are left out.
  const report: RunReport = {
    mode: 'embedded',
    stack: undefined,
    logicalResourceId: undefined,
    steps: [],
    discovery: undefined,
    leftovers: [],
    notOurs: [],
    interrupted: false,
    problem: undefined,
    ok: false,
  };
  // A signal that stops the run at once still ends it as any run ends: the document, then the one line.
  const finish = (_signal: NodeJS.Signals, line: string): void => {
    Object.assign(report, { interrupted: true, problem: line, ok: false });
    if (json) writeSync(1, `${JSON.stringify(report, null, 2)}\n`);
    sayNow(line);
    process.exit(130);
  };
  interruption.configure(() => ({ phase: 'starting', holds: [], outlives: false }), finish);
  interruption.install();
  let code: number;
  let stack: string | undefined;
  try {
    const options = readArgs(args);
    if (options === 'help') {
      console.log(USAGE);
      return 0;
    }
    report.mode = options.mode.kind;
    noteNodeVersion(options.template);
    await runLifecycle(options, report, finish);
    code = report.interrupted ? 130 : report.ok ? 0 : 1;
  } catch (error) {
    const expected = error instanceof UsageError || error instanceof StopError;
    report.problem = error instanceof Error ? error.message : String(error);
    report.ok = false;
    code = error instanceof UsageError ? 2 : 1;
    if (error instanceof UsageError) report.problem += ' (npm start -- --help lists the flags)';
    // A stack trace is for bugs only (it carries the message itself).
    if (!expected) stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  if (stack) console.error(stack);
  if (json) console.log(JSON.stringify(report, null, 2));
  if (report.problem && !stack) console.error(report.problem);
  return code;
};
