import type { LogLine } from '../lib/local-cloudformation';
import type { AnsweredRequest } from '../lib/local-stack';

/** One request CloudFormation sent, with its title in the table and what was wrong with its answer. */
export type StepResult = AnsweredRequest & { title: string; problems: string[] };

const isStatusProblem = (problem: string): boolean => problem.startsWith('answered ');

/**
 * The handler's WARN and ERROR lines, which say why a step went wrong, without what the step's title already says
 * (request type, logical id, request id) and without an error message the answer's Reason already gives.
 */
const handlerLogRows = (logs: LogLine[], reason: string | undefined): [string, string][] =>
  logs
    .filter((line) => line.level === 'WARN' || line.level === 'ERROR')
    .map(({ level, message, timestamp, requestType, logicalResourceId, requestId, ...fields }): [string, string] => {
      const error = fields.error as { name?: string; message?: string } | undefined;
      if (reason && error?.message && reason.includes(error.message)) fields.error = { name: error.name };
      const rest = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
      return ['handler log', `${level} ${message}${rest}`];
    });

/** A step's rows: the Reason of a failed answer once, and the handler's own lines when it was not accepted. */
export const printStep = (result: StepResult, index: number): void => {
  const answer = result.invocation.answers[0];
  const ok = result.problems.length === 0;
  console.log(`\n${index + 1}. ${result.title}  ${ok ? 'OK' : 'NOT ACCEPTED'}  (${result.invocation.ms} ms)`);
  const rows: [string, string][] = [
    ['request', `${result.requestType}${result.physicalResourceId ? ` ${result.physicalResourceId}` : ''}`],
    ['properties', JSON.stringify(result.properties)],
    ['aws calls', result.invocation.awsCalls.join(', ') || '(none)'],
    ['answer', `${answer?.Status ?? '(none)'} ${answer?.PhysicalResourceId ?? ''}`.trimEnd()],
    ...(answer?.Reason ? [['reason', answer.Reason] as [string, string]] : []),
    ...Object.entries(answer?.Data ?? {}).map(([key, value]): [string, string] => [`  ${key}`, value]),
    ...result.problems.filter((problem) => !isStatusProblem(problem)).map((p): [string, string] => ['problem', p]),
    // Locally there is no log group to point at: the lines are here.
    ...(ok ? [] : handlerLogRows(result.invocation.logs, answer?.Reason)),
  ];
  const width = Math.max(...rows.map(([key]) => key.length));
  for (const [key, value] of rows) console.log(`   ${key.padEnd(width)}  ${value}`);
};
