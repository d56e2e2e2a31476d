// Reads the CPU time and memory of a running process from /proc. Linux only,
// which is where the benchmarks run (the load generator and the emulator share
// one machine, and /proc is the one view that is the same for every tool).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface CpuTicks {
  userTicks: number;
  systemTicks: number;
}

export interface MemoryKb {
  /** peak resident set size so far (VmHWM) */
  peakRssKb: number;
  /** current resident set size (VmRSS) */
  rssKb: number;
}

export interface ProcessSample {
  /** CPU seconds, user plus system, of every thread of the process */
  cpuSeconds: number;
  peakRssKb: number;
}

/** Parses /proc/<pid>/stat. The command name may hold spaces and parentheses, so fields count from the last ')'. */
export function parseProcStat(text: string): CpuTicks {
  const afterName = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of proc(5) (utime, stime); afterName starts at field 3.
  const userTicks = Number(afterName[11]);
  const systemTicks = Number(afterName[12]);
  if (!Number.isFinite(userTicks) || !Number.isFinite(systemTicks)) {
    throw new Error(`invalid /proc stat line; reason: expected utime and stime in fields 14 and 15, got \`${text.trim()}\``);
  }
  return { userTicks, systemTicks };
}

/** Parses VmHWM and VmRSS out of /proc/<pid>/status. */
export function parseProcStatus(text: string): MemoryKb {
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text);
    if (!match?.[1]) throw new Error(`invalid /proc status; reason: expected a \`${name}: <n> kB\` line, got none`);
    return Number(match[1]);
  };
  return { peakRssKb: field('VmHWM'), rssKb: field('VmRSS') };
}

let clockTicksPerSecond: number | undefined;

/** sysconf(_SC_CLK_TCK): the unit of the stat times, nearly always 100. */
export function clockTicks(): number {
  clockTicksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return clockTicksPerSecond;
}

/** One reading of a live process, or null once it has exited. */
export function sampleProcess(pid: number): ProcessSample | null {
  try {
    const ticks = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    const memory = parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { cpuSeconds: (ticks.userTicks + ticks.systemTicks) / clockTicks(), peakRssKb: memory.peakRssKb };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ESRCH') return null;
    // A zombie has a stat line but no memory lines any more.
    if (error instanceof Error && error.message.startsWith('invalid /proc status')) return null;
    throw error;
  }
}

/** The direct children of a process (needs CONFIG_PROC_CHILDREN, present in every mainstream kernel). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // The parent has already exited: it has no children to report.
    return [];
  }
}
