import { describe, expect, it } from 'vitest';
import { parseProcStat, parseProcStatus, sampleProcess } from '../../../bench/lib/measure/proc-stats.js';

describe('parseProcStat', () => {
  it('reads utime and stime even when the command name holds spaces and parentheses', () => {
    const line = '4242 (k6 (run) x) S 1 4242 4242 0 -1 4194560 9000 0 0 0 731 122 0 0 20 0 12 0 100 2000000 5000 18446744073709551615';
    expect(parseProcStat(line)).toEqual({ userTicks: 731, systemTicks: 122 });
  });

  it('names the expected fields when the line is cut short', () => {
    expect(() => parseProcStat('4242 (k6) S 1 2')).toThrow(/expected utime and stime in fields 14 and 15/);
  });
});

describe('parseProcStatus', () => {
  it('reads the peak and current resident set sizes', () => {
    const status = 'Name:\tk6\nVmPeak:\t 900000 kB\nVmHWM:\t  550424 kB\nVmRSS:\t  401000 kB\nThreads:\t12\n';
    expect(parseProcStatus(status)).toEqual({ peakRssKb: 550424, rssKb: 401000 });
  });

  it('says which line is missing', () => {
    expect(() => parseProcStatus('Name:\tk6\nVmRSS:\t 1 kB\n')).toThrow(/`VmHWM: <n> kB`/);
  });
});

describe('sampleProcess', () => {
  it('reports CPU time and memory of a live process', () => {
    const started = Date.now();
    while (Date.now() - started < 50) Math.sqrt(Math.random()); // burn a little CPU
    const sample = sampleProcess(process.pid);
    expect(sample).not.toBeNull();
    expect(sample!.cpuSeconds).toBeGreaterThan(0);
    expect(sample!.peakRssKb).toBeGreaterThan(10_000);
  });

  it('returns null for a process that does not exist', () => {
    expect(sampleProcess(2 ** 22 + 1)).toBeNull();
  });
});
