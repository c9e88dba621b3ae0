import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';

export type Machine = { nproc: number; cpu: string; node: string; platform: string };

// Figures are only comparable on the same machine, so every report names the one it ran on.
export const describeMachine = (): Machine => {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (model?.[1]) cpu = model[1].trim();
  } catch {
    // Not Linux: os.cpus() already named it.
  }
  return { nproc: availableParallelism(), cpu, node: process.version, platform: `${process.platform}-${process.arch}` };
};
