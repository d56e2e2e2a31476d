import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alignPair, costRatio, medianByCase, pairedRatios, pairSide, readSummaryExport, type CostResult } from '../../../bench/lib/cost.js';
import type { CostCase } from '../../../bench/lib/generators/generators.js';
import { steadyState } from '../../../bench/lib/measure/steady-state.js';
import { initSettled, mbPerVu, type MemoryResult } from '../../../bench/lib/vu-memory.js';
import type { RunSample } from '../../../bench/lib/measure/measured-run.js';

const scratch = mkdtempSync(join(tmpdir(), 'cost-summary-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function result(caseId: string, repeat: number, cpu: number | null, pairKey = String(repeat)): CostResult {
  return {
    caseId,
    label: caseId,
    workload: 'Ping',
    repeat,
    pairKey,
    targetRate: 1000,
    exitCode: 0,
    steady: cpu === null ? null : { seconds: 10, requests: 10_000, cpuSeconds: cpu, cpuSecondsPer10k: cpu, achievedRate: 1000, bytes: null, fromMs: 0, toMs: 10_000 },
    wholeCpuSecondsPer10k: cpu,
    requests: 10_000,
    peakRssMb: 80,
    droppedIterations: 0,
    iterations: 10_000,
    dataBytes: null,
    loadAverage: 1,
  };
}

describe('medianByCase', () => {
  it('keeps the median repeat of each case and ignores runs without a steady window', () => {
    const medians = medianByCase([
      result('bundle', 1, 3.9),
      result('bundle', 2, 3.3),
      result('bundle', 3, 3.6),
      result('minimal', 1, 2.7),
      result('minimal', 2, null),
      result('minimal', 3, 2.5),
    ]);
    expect(medians.get('bundle')!.repeat).toBe(3);
    expect(medians.get('minimal')!.steady!.cpuSecondsPer10k).toBe(2.5);
  });

});

describe('costRatio', () => {
  const bundleCase = { id: 'bundle', baselineId: 'minimal' } as CostCase;

  it('divides by the baseline case named by the case', () => {
    const results = [result('bundle', 1, 3.3), result('minimal', 1, 3)];
    expect(costRatio(results, bundleCase)).toBeCloseTo(1.1, 9);
    expect(costRatio(results, { id: 'bundle' } as CostCase)).toBeNull();
  });

  it('pairs each repeat with the baseline of the same repeat, so a machine that drifts moves both', () => {
    // The machine gets 30 % faster between repeats; the bundle costs 1.1x the minimal script throughout.
    const results = [
      result('minimal', 1, 5), result('bundle', 1, 5.5),
      result('minimal', 2, 4.4), result('bundle', 2, 4.84),
      result('minimal', 3, 3.5), result('bundle', 3, 3.85),
    ];
    expect(pairedRatios(results, bundleCase).map((value) => value.toFixed(3))).toEqual(['1.100', '1.100', '1.100']);
    expect(costRatio(results, bundleCase)).toBeCloseTo(1.1, 9);
    // The ratio of medians would mix repeats: 4.84 / 4.4 here only by luck; 5.5 / 3.5 in the worst case.
  });

  it('takes the median of the paired ratios and skips repeats where either run has no steady window', () => {
    const results = [
      result('minimal', 1, 4), result('bundle', 1, 4.8),
      result('minimal', 2, 4), result('bundle', 2, 4.2),
      result('minimal', 3, null), result('bundle', 3, 9),
      result('minimal', 4, 4), result('bundle', 4, 4.4),
      result('minimal', 5, 4), result('bundle', 5, 6),
    ];
    expect(pairedRatios(results, bundleCase)).toHaveLength(4);
    expect(costRatio(results, bundleCase)).toBeCloseTo((1.1 + 1.2) / 2, 9);
    expect(costRatio([result('bundle', 1, 3)], bundleCase)).toBeNull();
  });
});

describe('pairedRatios with concurrent pairs', () => {
  it('compares each case with the baseline run beside it, not with the baseline runs beside other cases', () => {
    const ghzCase = { id: 'ghz', baselineId: 'minimal' } as CostCase;
    const results = [
      result('minimal', 1, 4, '1:bundle'), result('bundle', 1, 4.4, '1:bundle'),
      result('minimal', 1, 5, '1:ghz'), result('ghz', 1, 3.5, '1:ghz'),
      result('minimal', 2, 3, '2:bundle'), result('bundle', 2, 3.15, '2:bundle'),
      result('minimal', 2, 6, '2:ghz'), result('ghz', 2, 4.2, '2:ghz'),
    ];
    expect(pairedRatios(results, { id: 'bundle', baselineId: 'minimal' } as CostCase).map((value) => value.toFixed(3))).toEqual(['1.100', '1.050']);
    expect(pairedRatios(results, ghzCase).map((value) => value.toFixed(3))).toEqual(['0.700', '0.700']);
  });
});

describe('pairSide', () => {
  it('gives every case each side equally often over an even number of repeats, neighbouring cases opposite sides', () => {
    for (const caseIndex of [0, 1, 2, 5]) {
      const sides = [1, 2, 3, 4].map((repeat) => pairSide(repeat, caseIndex));
      expect(sides.filter((side) => side === 0)).toHaveLength(2);
      expect(sides[0]).not.toBe(sides[1]);
    }
    expect(pairSide(1, 0)).not.toBe(pairSide(1, 1));
  });
});

describe('alignPair', () => {
  // A run at 1,000 calls/s from `startS` for 10 s, sampled every 500 ms; a call costs 2.5 CPU s per 10k while the
  // other run of the pair runs too (from 4 s to 10 s) and 5 when this one has the CPU to itself.
  const run = (startS: number): RunSample[] => {
    const samples: RunSample[] = [];
    let cpu = 0;
    let requests = 0;
    for (let tenth = 0; tenth <= 320; tenth += 5) {
      const seconds = tenth / 10;
      if (seconds > startS && seconds <= startS + 10) {
        requests += 500;
        cpu += seconds > 4 && seconds <= 10 ? 0.125 : 0.25;
      }
      samples.push({ atMs: seconds * 1000, elapsedMs: seconds * 1000, cpuSeconds: cpu, peakRssKb: 1, requests });
    }
    return samples;
  };
  const measured = (caseId: string, samples: RunSample[]) => ({
    result: { ...result(caseId, 1, 1, '1:case'), steady: steadyState(samples, { trimSamples: 0 }) },
    samples,
  });

  it('measures both runs over the part of their windows they share', () => {
    const [early, late] = alignPair([measured('early', run(0)), measured('late', run(4))]);
    for (const aligned of [early!, late!]) {
      expect(aligned.steady!.fromMs).toBeGreaterThanOrEqual(4000);
      expect(aligned.steady!.toMs).toBeLessThanOrEqual(10_000);
      expect(aligned.steady!.cpuSecondsPer10k).toBeCloseTo(2.5, 6);
    }
  });

  it('leaves a pair alone when one run has no window, and drops both windows when they do not overlap', () => {
    const [kept] = alignPair([measured('a', run(0)), { ...measured('b', run(0)), result: { ...result('b', 1, null, '1:case') } }]);
    expect(kept!.steady!.cpuSecondsPer10k).toBeGreaterThan(2.5);
    const apart = alignPair([measured('a', run(0)), measured('b', run(20))]);
    expect(apart.map((aligned) => aligned.steady)).toEqual([null, null]);
  });
});

describe('readSummaryExport', () => {
  it('reads iterations, dropped iterations and the bytes sent and received', () => {
    const path = join(scratch, 'export.json');
    writeFileSync(
      path,
      JSON.stringify({ metrics: { iterations: { count: 9000, rate: 900 }, dropped_iterations: { count: 42 }, data_sent: { count: 1000 }, data_received: { count: 234 } } }),
    );
    expect(readSummaryExport(path)).toEqual({ iterations: 9000, droppedIterations: 42, dataBytes: 1234 });
  });

  it('counts a metric k6 left out as zero', () => {
    const path = join(scratch, 'no-drops.json');
    writeFileSync(path, JSON.stringify({ metrics: { iterations: { count: 10 } } }));
    expect(readSummaryExport(path)).toEqual({ iterations: 10, droppedIterations: 0, dataBytes: 0 });
  });

  it('returns null when k6 wrote no export', () => {
    expect(readSummaryExport(join(scratch, 'absent.json'))).toBeNull();
  });
});

describe('initSettled', () => {
  const samples = (cpuAt: (seconds: number) => number, upTo: number): RunSample[] =>
    Array.from({ length: upTo * 4 + 1 }, (_, index) => ({ atMs: index * 250, elapsedMs: index * 250, cpuSeconds: cpuAt(index / 4), peakRssKb: 1, requests: Number.NaN }));

  it('waits while k6 is still building VUs', () => {
    expect(initSettled(samples((t) => t * 0.9, 6))).toBe(false);
  });

  it('says so once CPU use has stayed flat for two seconds', () => {
    expect(initSettled(samples((t) => Math.min(t, 3) * 0.9, 6))).toBe(true);
    expect(initSettled(samples((t) => Math.min(t, 5) * 0.9, 6))).toBe(false);
  });
});

describe('mbPerVu', () => {
  it('is the slope between the smallest and largest VU counts', () => {
    const runs = [100, 500, 1000].map((vus) => ({ vus, peakRssMb: 50 + vus * 0.3 }) as MemoryResult);
    expect(mbPerVu(runs)).toBeCloseTo(0.3, 9);
    expect(mbPerVu(runs.slice(0, 1))).toBeNull();
  });
});
