// One status check per call, tagged op and kind=status: the error-rate thresholds
// are on checks{op,kind:status}. When the caller checks what an OK call read back
// (CallOptions.readBack names that check), the status check waits for it and
// records one check carrying both, so a verified read costs k6 one check sample,
// not two. Pure: k6's check() is handed in, so the rules are unit-tested.
import { memoized } from '../config/memo.js';

export type EmitChecks = (outcomes: Readonly<Record<string, boolean>>, tags: Readonly<Record<string, string>>) => void;

export interface StatusChecks {
  /** A call ended: its status check now, or when `readBack` names the read-back check that follows an OK call. */
  call(op: string, ok: boolean, readBack?: string): void;
  /** A read-back outcome. True when it completed the waiting status check; false when the caller must record it. */
  readBack(op: string, sentence: string, holds: boolean): boolean;
  /**
   * The one check of an OK call of `op` and its read-back `sentence`, prepared once:
   * the returned function records it (passed when the read-back holds) without waiting.
   */
  folded(op: string, sentence: string): (holds: boolean) => void;
  /** The status check of `op` alone, prepared once: the returned function records it without waiting. */
  status(op: string): (ok: boolean) => void;
  /** Records a status check left waiting for a read-back that will not come (a stale read, tried again) as passed. */
  settle(): void;
}

/** The name of a call's status check. */
export function statusSentence(op: string): string {
  return `the ${op} call ends with an expected status`;
}

/** The name of a status check that also carries the read-back check `sentence`. */
export function foldedSentence(op: string, sentence: string): string {
  return `${statusSentence(op)} and ${sentence}`;
}

/** A check's two possible outcomes, prebuilt so k6 is handed the same objects on every call. */
export interface CheckObjects {
  readonly passed: Readonly<Record<string, boolean>>;
  readonly failed: Readonly<Record<string, boolean>>;
}

export function checkObjects(name: string): CheckObjects {
  return { passed: { [name]: true }, failed: { [name]: false } };
}

export function createStatusChecks(emit: EmitChecks): StatusChecks {
  // Built once per operation (and read-back sentence) and VU: k6 reads these objects on every call.
  const tagsFor = memoized((op: string): Readonly<Record<string, string>> => ({ op, kind: 'status' }));
  const statusFor = memoized((op: string) => checkObjects(statusSentence(op)));
  const foldedFor = memoized((op: string) => memoized((sentence: string) => checkObjects(foldedSentence(op, sentence))));

  // The OK call whose read-back check has not come yet (one at a time: a VU runs one call after another).
  let waitingOp: string | undefined;
  let waitingSentence: string | undefined;

  // A caller that never checks what it read still gets its status check, on its next call.
  const flush = () => {
    if (waitingOp === undefined) return;
    emit(statusFor(waitingOp).passed, tagsFor(waitingOp));
    waitingOp = waitingSentence = undefined;
  };

  // A check recorded without waiting, after any status check left waiting.
  const prepared = (objects: CheckObjects, tags: Readonly<Record<string, string>>) => (passed: boolean) => {
    flush();
    emit(passed ? objects.passed : objects.failed, tags);
  };

  return {
    call(op, ok, readBack) {
      flush();
      if (ok && readBack !== undefined) {
        waitingOp = op;
        waitingSentence = readBack;
        return;
      }
      const objects = statusFor(op);
      emit(ok ? objects.passed : objects.failed, tagsFor(op));
    },
    readBack(op, sentence, holds) {
      if (waitingOp !== op || waitingSentence !== sentence) return false;
      waitingOp = waitingSentence = undefined;
      const objects = foldedFor(op)(sentence);
      emit(holds ? objects.passed : objects.failed, tagsFor(op));
      return true;
    },
    status: (op) => prepared(statusFor(op), tagsFor(op)),
    folded: (op, sentence) => prepared(foldedFor(op)(sentence), tagsFor(op)),
    settle: flush,
  };
}
