// Which of a VU's iterations read. Each VU follows its own evenly spread
// (Bresenham-style) sequence, so no k6 call is needed per iteration: asking k6
// for the test-wide iteration index on every iteration cost the load generator
// about a tenth of its CPU per request. A VU's read count stays within one
// iteration of READ_RATIO; phases spread over the VUs (the VU id times the
// golden ratio) make those errors cancel across VUs instead of adding up.

const GOLDEN_RATIO_CONJUGATE = 0.6180339887498949;

/** The phase of VU `vuId` (1-based, as k6 numbers VUs): spread evenly over [0, 1) for any number of VUs. */
export function vuPhase(vuId: number): number {
  const phase = (vuId * GOLDEN_RATIO_CONJUGATE) % 1;
  return phase < 0 ? phase + 1 : phase;
}

/**
 * A VU's read/write sequence: the n-th call (0-based) returns true (read) when
 * floor((n + 1) * readRatio + phase) > floor(n * readRatio + phase). Only the
 * fractional part of n * readRatio + phase is kept, so a call is one addition.
 */
export function readSchedule(readRatio: number, phase: number): () => boolean {
  let fraction = phase;
  return () => {
    fraction += readRatio;
    if (fraction < 1) return false;
    fraction -= 1;
    return true;
  };
}
