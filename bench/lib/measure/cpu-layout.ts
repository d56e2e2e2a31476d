// Which CPUs the load generator and the emulator may use. On a 2-core machine
// they get one core each, so neither steals cycles from the other and the
// generator's CPU time is not inflated by migrations; with one core they share.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface CpuLayout {
  /** taskset list for the load generator */
  generator: string;
  /** taskset list for the emulator (and the orchestrating process, which is mostly idle) */
  emulator: string;
  /** one line for the printed report */
  description: string;
}

export function cpuLayout(cpuCount = availableParallelism()): CpuLayout {
  if (cpuCount < 2) return { generator: '0', emulator: '0', description: 'generator and emulator share CPU 0' };
  return { generator: '0', emulator: '1', description: 'generator pinned to CPU 0, emulator to CPU 1 (taskset)' };
}

/** Pins this process and every thread it has; children started afterwards inherit the mask. */
export function pinCurrentProcess(cpuList: string): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpuList, String(process.pid)], { stdio: 'ignore' });
}
