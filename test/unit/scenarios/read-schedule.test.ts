// Which iterations read: each VU's own evenly spread sequence, and how close a
// run of many VUs with uneven iteration counts stays to READ_RATIO.
import { describe, expect, it } from 'vitest';
import { readSchedule, vuPhase } from '../../../scripts/lib/workload/read-schedule.js';

function reads(readRatio: number, phase: number, iterations: number): boolean[] {
  const next = readSchedule(readRatio, phase);
  return Array.from({ length: iterations }, () => next());
}

const countReads = (sequence: readonly boolean[]) => sequence.filter(Boolean).length;

describe('readSchedule', () => {
  it('never reads at READ_RATIO 0 and always reads at 1, whatever the phase', () => {
    for (const phase of [0, 0.3, 0.999]) {
      expect(countReads(reads(0, phase, 50))).toBe(0);
      expect(countReads(reads(1, phase, 50))).toBe(50);
    }
  });

  it('keeps one VU within one iteration of READ_RATIO after any number of iterations', () => {
    for (const ratio of [0.1, 0.3, 0.5, 0.7, 0.95]) {
      for (const phase of [0, 0.25, 0.618, 0.99]) {
        const sequence = reads(ratio, phase, 500);
        for (let n = 1; n <= sequence.length; n++) {
          expect(Math.abs(countReads(sequence.slice(0, n)) - n * ratio)).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('spreads reads evenly: every 10 consecutive iterations at 0.7 hold 6 to 8 reads, 7 on average', () => {
    const sequence = reads(0.7, 0.4, 200);
    for (let start = 0; start + 10 <= sequence.length; start++) {
      const windowReads = countReads(sequence.slice(start, start + 10));
      expect(windowReads).toBeGreaterThanOrEqual(6);
      expect(windowReads).toBeLessThanOrEqual(8);
    }
    expect(countReads(sequence)).toBe(140);
  });

  it('follows the formula: iteration n reads when floor((n + 1) r + phase) passes floor(n r + phase)', () => {
    expect(reads(0.5, 0, 6)).toEqual([false, true, false, true, false, true]);
    expect(reads(0.5, 0.5, 6)).toEqual([true, false, true, false, true, false]);
    expect(reads(0.25, 0.8, 5)).toEqual([true, false, false, false, true]);
  });
});

describe('readSchedule over a long run', () => {
  it.each([0.8, 0.3, 1 / 3, 0.95, 0.123456])('follows floor((n + 1) r + phase) > floor(n r + phase) exactly for r = %s', (ratio) => {
    for (const vuId of [1, 7, 50]) {
      const phase = vuPhase(vuId);
      const next = readSchedule(ratio, phase);
      let mismatches = 0;
      for (let n = 0; n < 200_000; n++) if (next() !== Math.floor((n + 1) * ratio + phase) > Math.floor(n * ratio + phase)) mismatches++;
      expect(mismatches, `VU ${vuId}`).toBe(0);
    }
  });
});

describe('vuPhase', () => {
  it('gives every VU a phase in [0, 1), different for neighbouring VUs', () => {
    const phases = Array.from({ length: 1000 }, (_, index) => vuPhase(index + 1));
    for (const phase of phases) {
      expect(phase).toBeGreaterThanOrEqual(0);
      expect(phase).toBeLessThan(1);
    }
    expect(new Set(phases).size).toBe(1000);
  });

  it('spreads the phases of the first N VUs over [0, 1) with no gap wider than 2/N', () => {
    for (const vus of [4, 8, 50, 500]) {
      const sorted = Array.from({ length: vus }, (_, index) => vuPhase(index + 1)).sort((a, b) => a - b);
      const gaps = sorted.map((phase, index) => (index === 0 ? phase + 1 - sorted[sorted.length - 1]! : phase - sorted[index - 1]!));
      expect(Math.max(...gaps)).toBeLessThanOrEqual(2 / vus);
    }
  });
});

describe('a run of many VUs', () => {
  // A deterministic stand-in for uneven work: VU v ran counts[v] iterations.
  function runShare(readRatio: number, counts: readonly number[]): number {
    let total = 0;
    let read = 0;
    counts.forEach((iterations, index) => {
      read += countReads(reads(readRatio, vuPhase(index + 1), iterations));
      total += iterations;
    });
    return read / total;
  }

  let seed = 7;
  const nextRandom = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

  it('is never further from READ_RATIO than one iteration per VU, however unevenly the VUs ran', () => {
    for (let trial = 0; trial < 500; trial++) {
      const counts = Array.from({ length: 16 }, () => Math.floor(nextRandom() * 40));
      const total = counts.reduce((sum, count) => sum + count, 0);
      for (const ratio of [0.3, 0.7]) {
        expect(Math.abs(runShare(ratio, counts) * total - ratio * total)).toBeLessThanOrEqual(counts.length);
      }
    }
  });

  it('stays within 2 points for 140 iterations over 8 VUs taking turns, as k6 hands them out', () => {
    for (let trial = 0; trial < 2000; trial++) {
      // In turn from a random VU, a few VUs one or two iterations ahead.
      const first = Math.floor(nextRandom() * 8);
      const counts = Array.from({ length: 8 }, () => 0);
      for (let i = 0; i < 140; i++) counts[(first + i) % 8]!++;
      for (let extra = 0; extra < 3; extra++) counts[Math.floor(nextRandom() * 8)]!++;
      for (const ratio of [0.3, 0.7]) {
        expect(Math.abs(runShare(ratio, counts) - ratio)).toBeLessThanOrEqual(0.02);
      }
    }
  });

  it('stays within half a point for a 1,000/s minute spread over 50 VUs', () => {
    const counts = Array.from({ length: 50 }, (_, index) => 1150 + ((index * 37) % 101));
    expect(Math.abs(runShare(0.8, counts) - 0.8)).toBeLessThanOrEqual(0.005);
  });
});
