// Prints the mutation score table of docs/testing.md, and every mutant no test detected, from the JSON report of
// `npm run mutation` (mutation-testing-report-schema). Usage: npm run mutation:report [-- path/to/mutation.json]
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';

type Status =
  | 'Killed'
  | 'Timeout'
  | 'Survived'
  | 'NoCoverage'
  | 'CompileError'
  | 'RuntimeError'
  | 'Ignored'
  | 'Pending';

interface Mutant {
  mutatorName: string;
  replacement?: string;
  status: Status;
  location: { start: { line: number; column: number } };
}

interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}

const COUNTED = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'CompileError'] as const;
type Counts = Record<(typeof COUNTED)[number], number>;

const path = process.argv[2] ?? 'reports/mutation/mutation.json';
const report = JSON.parse(readFileSync(path, 'utf8')) as Report;

const rows = new Map<string, Counts>();
const add = (scope: string, status: Status): void => {
  const counts = rows.get(scope) ?? { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0 };
  if (status in counts) counts[status as keyof Counts] += 1;
  rows.set(scope, counts);
};

const files = Object.keys(report.files).sort();
for (const file of files) {
  for (const mutant of report.files[file]?.mutants ?? []) {
    for (const scope of ['all of `handler/`', `\`${dirname(file)}/\``, `\`${file}\``]) add(scope, mutant.status);
  }
}

const score = ({ Killed, Timeout, Survived, NoCoverage }: Counts): string => {
  const valid = Killed + Timeout + Survived + NoCoverage;
  return valid === 0 ? 'n/a' : `${((100 * (Killed + Timeout)) / valid).toFixed(1)} %`;
};

console.log('| Scope | Score | Killed | Timed out | Survived | No coverage | Not type-correct |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
const order = (scope: string): string => (scope.startsWith('all') ? '' : scope);
for (const [scope, counts] of [...rows].sort(([a], [b]) => order(a).localeCompare(order(b)))) {
  console.log(`| ${scope} | ${score(counts)} | ${COUNTED.map((status) => counts[status]).join(' | ')} |`);
}

console.log('\nUndetected mutants (line:column, mutator, replacement):');
for (const file of files) {
  const { source, mutants } = report.files[file] ?? { source: '', mutants: [] };
  const lines = source.split('\n');
  for (const mutant of mutants.filter(({ status }: Mutant) => status === 'Survived' || status === 'NoCoverage')) {
    const { line, column } = mutant.location.start;
    const replacement = (mutant.replacement ?? '').replace(/\s+/g, ' ').slice(0, 60);
    const code = lines[line - 1]?.trim().slice(0, 90);
    console.log(`${file} ${line}:${column} ${mutant.status} ${mutant.mutatorName} → ${replacement}\n    ${code}`);
  }
}
