// The verify/ folder: checks with sentence names, one status check per call; what the thresholds count.
//
// Checks with sentence names. Verification checks also count into
// opensaves_verify_failures, so a wrong read-back is visible as its own metric.
import { check, type Checkers } from 'k6';
import type { RpcName } from '../config/constants.js';
import { verifyFailures } from '../metrics/metrics.js';
import { memoized } from '../config/memo.js';
import { checkObjects, createStatusChecks, type CheckObjects } from './status-checks.js';

interface VerifyObjects extends CheckObjects {
  readonly tags: Readonly<Record<string, string>>;
  readonly failureTags: Readonly<Record<string, string>>;
}

// The objects handed to check() are built once per sentence and VU: reads are verified
// on every call, and building a checks object, a closure and tags per call cost more
// than the comparison.
const verifyObjects = memoized((op: RpcName) =>
  memoized((sentence: string): VerifyObjects => ({ ...checkObjects(sentence), tags: { op, kind: 'verify' }, failureTags: { op } })),
);

/**
 * Records checks whose outcomes are already known. k6 takes a boolean in place of a
 * checker function (its typings do not say so); prebuilt objects then need no closure.
 */
export function recordChecks(outcomes: Readonly<Record<string, boolean>>, tags: Readonly<Record<string, string>>): void {
  checkOnce(null, outcomes as unknown as Checkers<null>, tags);
}

// k6 resolves a named import of its Go modules anew on every use (the module's export
// table rebuilt and the function wrapped by reflection each time); read once, the
// wrapped function is kept.
const checkOnce: typeof check = check;

/** Every call's status check (grpc-client.ts and http-client.ts record them through this). */
export const statusChecks = createStatusChecks(recordChecks);

/**
 * Records whether data read back matches what was written; returns the outcome. When the
 * call was made with `readBack: sentence`, its status check carries this outcome instead.
 */
export function verify(op: RpcName, sentence: string, holds: boolean, detail?: () => string): boolean {
  if (!statusChecks.readBack(op, sentence, holds)) {
    const objects = verifyObjects(op)(sentence);
    recordChecks(holds ? objects.passed : objects.failed, objects.tags);
  }
  if (!holds) readBackFailed(op, sentence, detail?.());
  return holds;
}

/** Counts a read-back that differs from what was written, and says how when `detail` is given. */
export function readBackFailed(op: RpcName, sentence: string, detail?: string): void {
  verifyFailures.add(1, verifyObjects(op)(sentence).failureTags);
  if (detail !== undefined) console.warn(`${sentence}: no; ${detail}`);
}
