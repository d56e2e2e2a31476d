// The capacity model's own clock: wall time in epoch milliseconds plus timers.
// The real one wraps Date.now and setTimeout; ManualClock lets tests move time
// by hand, so queueing, token buckets, the HPA and the WAF window run
// deterministically without waiting.

export interface TimerHandle {
  cancel(): void;
}

export interface ModelClock {
  /** epoch milliseconds */
  now(): number;
  /** Runs `run` once after `ms` (0: on a later turn, never synchronously). */
  setTimer(ms: number, run: () => void): TimerHandle;
}

export const REAL_CLOCK: ModelClock = {
  now: () => Date.now(),
  setTimer(ms, run) {
    const timer = setTimeout(run, Math.max(0, ms));
    // The model must never keep the process alive on its own.
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

interface PendingTimer {
  at: number;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

/** A clock that moves only when told to; timers fire in time order during advance(). */
export class ManualClock implements ModelClock {
  private current: number;
  private seq = 0;
  private timers: PendingTimer[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, run: () => void): TimerHandle {
    const timer: PendingTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, run, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  /** Timers not yet fired (cancelled ones excluded). */
  get pendingTimers(): number {
    return this.timers.filter((timer) => !timer.cancelled).length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, each at its own time. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const next = this.nextDue(end);
      if (!next) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.current = Math.max(this.current, next.at);
      next.run();
    }
    this.current = end;
  }

  private nextDue(end: number): PendingTimer | undefined {
    this.timers = this.timers.filter((timer) => !timer.cancelled);
    let best: PendingTimer | undefined;
    for (const timer of this.timers) {
      if (timer.at > end) continue;
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) best = timer;
    }
    return best;
  }
}
