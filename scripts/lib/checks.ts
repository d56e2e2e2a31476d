// Checks with sentence names. Verification checks also count into
// opensaves_verify_failures, so a wrong read-back is visible as its own metric.
import { check } from 'k6';
import type { RpcName } from './constants.js';
import { verifyFailures } from './metrics.js';

/** Records whether data read back matches what was written; returns the outcome. */
export function verify(op: RpcName, sentence: string, holds: boolean, detail?: () => string): boolean {
  check(null, { [sentence]: () => holds }, { op, kind: 'verify' });
  if (!holds) {
    verifyFailures.add(1, { op });
    if (detail) console.warn(`${sentence}: no; ${detail()}`);
  }
  return holds;
}
