// Keys of everything a run creates. They start with the run id and carry the VU's
// test-wide id and the scenario's test-wide iteration number, which k6 keeps
// unique across execution segments, so parallel k6 instances never collide.
import exec from 'k6/execution';

/** A fresh random run id: 12 lower-case base-36 characters. */
export function randomRunId(): string {
  let id = '';
  while (id.length < 12) id += Math.floor(Math.random() * 36).toString(36);
  return id;
}

/**
 * The instance's share of the test, e.g. `0-1_2` for `--execution-segment 0:1/2`,
 * so stores made by setup() in different instances have different keys.
 */
export function segmentLabel(): string {
  const segment = exec.test.options.executionSegment;
  return segment ? String(segment).replace(/[:/]/g, (char) => (char === ':' ? '-' : '_')) : 'all';
}

export function storeKey(runId: string, name: string): string {
  return `${runId}-${segmentLabel()}-${name}`;
}

/** Unique per VU and iteration across all instances; `suffix` tells the record's role. */
export function iterationKey(runId: string, suffix: string): string {
  return `${runId}-v${exec.vu.idInTest}-i${exec.scenario.iterationInTest}-${suffix}`;
}

/** The key of the n-th record that setup() seeds in a store. */
export function seedKey(store: string, index: number): string {
  return `${store}-seed-${index}`;
}
