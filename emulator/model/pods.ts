// The port's pods behind their load balancer: each pod works on one request at a
// time at the speed its CPU limit allows (1 ms of CPU takes 2 ms on a 500m pod),
// requests wait in one FIFO queue for the first free pod, and past `queueLimit`
// waiting requests the load balancer refuses (503). Busy time per pod and second
// gives the CPU utilisation; the HPA reads it and adds or removes pods.
import type { ModelClock } from './clock.js';
import type { PodsConfig } from './config.js';

interface Pod {
  /** when its last assigned request finishes */
  freeAt: number;
  /** when it starts serving (a new pod after the scale-up delay) */
  readyAt: number;
  /** set when the HPA removed it: it takes no new work */
  removedAt: number | undefined;
  /** busy milliseconds per epoch second, including seconds still ahead */
  busy: Map<number, number>;
}

export interface Slot {
  /** when the pod starts on the request (later than now when it queued) */
  startAt: number;
  /** when the pod is done with it */
  endAt: number;
}

export interface PodSecond {
  runningPods: number;
  /** average over running pods of busy time per second, 0..1 of the CPU limit */
  averageBusy: number;
  maximumBusy: number;
  /** requests waiting for a pod at the end of the second, and the most waiting at once during it */
  queued: number;
  maxQueued: number;
  /** average wait of the requests that started this second, ms */
  averageWaitMs: number;
  startedRequests: number;
  rejected: number;
}

export class PodPool {
  private readonly pods: Pod[] = [];
  /** start times of queued requests, non-decreasing (first come, first served) */
  private readonly queuedStarts: number[] = [];
  private queueHead = 0;
  private second = { maxQueued: 0, waitMs: 0, started: 0, rejected: 0 };
  /** HPA: recommendations with their time, for the scale-down stabilization window */
  private readonly recommendations: Array<[number, number]> = [];
  rejectedTotal = 0;

  constructor(
    readonly config: PodsConfig,
    private readonly clock: ModelClock,
  ) {
    const now = clock.now();
    for (let i = 0; i < config.initial; i++) this.pods.push(newPod(now, now));
    // As a deployment that has been running at this size: no scale-down before the stabilization window has seen lower load.
    this.recommendations.push([now, config.initial]);
  }

  /** Milliseconds a pod needs for `cpuMs` of CPU at its limit. */
  serviceMs(cpuMs: number): number {
    return (cpuMs * 1000) / this.config.cpuLimitMillicores;
  }

  /** Pods serving now or starting (the HPA's current replica count). */
  get replicas(): number {
    return this.pods.filter((pod) => pod.removedAt === undefined).length;
  }

  running(now = this.clock.now()): number {
    return this.pods.filter((pod) => pod.removedAt === undefined && pod.readyAt <= now).length;
  }

  queued(now = this.clock.now()): number {
    while (this.queueHead < this.queuedStarts.length && this.queuedStarts[this.queueHead]! <= now) this.queueHead++;
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queuedStarts.length) {
      this.queuedStarts.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    return this.queuedStarts.length - this.queueHead;
  }

  /** Assigns a request to the pod that is free first; undefined when the queue is full. */
  schedule(cpuMs: number): Slot | undefined {
    const now = this.clock.now();
    let best: Pod | undefined;
    let bestStart = Infinity;
    for (const pod of this.pods) {
      if (pod.removedAt !== undefined) continue;
      const start = Math.max(now, pod.freeAt, pod.readyAt);
      if (start < bestStart) {
        best = pod;
        bestStart = start;
      }
    }
    const waiting = this.queued(now);
    if (!best || (bestStart > now && waiting >= this.config.queueLimit)) {
      this.second.rejected++;
      this.rejectedTotal++;
      return undefined;
    }
    const endAt = bestStart + this.serviceMs(cpuMs);
    best.freeAt = endAt;
    addBusy(best.busy, bestStart, endAt);
    if (bestStart > now) this.queuedStarts.push(bestStart);
    this.second.maxQueued = Math.max(this.second.maxQueued, waiting + (bestStart > now ? 1 : 0));
    this.second.waitMs += bestStart - now;
    this.second.started++;
    return { startAt: bestStart, endAt };
  }

  /** Closes epoch second `second` (called once it is over): utilisation, queue, and the HPA's turn. */
  closeSecond(second: number): PodSecond {
    const end = (second + 1) * 1000;
    let sum = 0;
    let max = 0;
    let running = 0;
    for (const pod of this.pods) {
      const busyMs = pod.busy.get(second) ?? 0;
      pod.busy.delete(second);
      const serving = pod.readyAt < end && (pod.removedAt === undefined || pod.removedAt > second * 1000);
      if (!serving) continue;
      running++;
      const fraction = Math.min(1, busyMs / 1000);
      sum += fraction;
      max = Math.max(max, fraction);
    }
    const { maxQueued, waitMs, started, rejected } = this.second;
    this.second = { maxQueued: 0, waitMs: 0, started: 0, rejected: 0 };
    const result: PodSecond = {
      runningPods: running,
      averageBusy: running === 0 ? 0 : sum / running,
      maximumBusy: max,
      queued: this.queued(end),
      maxQueued,
      averageWaitMs: started === 0 ? 0 : waitMs / started,
      startedRequests: started,
      rejected,
    };
    this.history.push(result.averageBusy);
    if (this.history.length > this.config.hpa.periodSeconds) this.history.shift();
    if ((second + 1) % this.config.hpa.periodSeconds === 0) this.autoscale(end);
    this.dropRemoved(end);
    return result;
  }

  private readonly history: number[] = [];

  /** Kubernetes' HPA rule: desired = ceil(current * utilisation / target), within min..max, 10 % tolerance. */
  private autoscale(now: number): void {
    const { hpa, min, max, cpuLimitMillicores, cpuRequestMillicores } = this.config;
    if (this.history.length === 0) return;
    const busy = this.history.reduce((a, b) => a + b, 0) / this.history.length;
    const utilisationPercent = (busy * cpuLimitMillicores * 100) / cpuRequestMillicores;
    const current = this.replicas;
    const ratio = utilisationPercent / hpa.targetCpuPercent;
    let desired = Math.abs(ratio - 1) <= 0.1 ? current : Math.ceil(current * ratio);
    // Kubernetes' default scale-up policy: at most double, or +4 pods, per period.
    desired = Math.min(desired, Math.max(current * 2, current + 4));
    desired = Math.max(min, Math.min(max, desired));
    this.recommendations.push([now, desired]);
    const windowStart = now - hpa.scaleDownStabilizationSeconds * 1000;
    while (this.recommendations.length > 0 && this.recommendations[0]![0] < windowStart) this.recommendations.shift();
    if (desired > current) {
      for (let i = current; i < desired; i++) this.pods.push(newPod(now, now + hpa.scaleUpDelaySeconds * 1000));
      return;
    }
    const stabilised = Math.max(...this.recommendations.map(([, value]) => value));
    if (stabilised < current) {
      // The newest pods go first.
      const live = this.pods.filter((pod) => pod.removedAt === undefined).sort((a, b) => b.readyAt - a.readyAt);
      for (const pod of live.slice(0, current - stabilised)) pod.removedAt = now;
    }
  }

  private dropRemoved(now: number): void {
    for (let i = this.pods.length - 1; i >= 0; i--) {
      const pod = this.pods[i]!;
      if (pod.removedAt !== undefined && pod.freeAt <= now && pod.busy.size === 0) this.pods.splice(i, 1);
    }
  }
}

function newPod(now: number, readyAt: number): Pod {
  return { freeAt: now, readyAt, removedAt: undefined, busy: new Map() };
}

/** Spreads [start, end) over the epoch seconds it covers. */
function addBusy(busy: Map<number, number>, start: number, end: number): void {
  let at = start;
  while (at < end) {
    const second = Math.floor(at / 1000);
    const until = Math.min(end, (second + 1) * 1000);
    busy.set(second, (busy.get(second) ?? 0) + (until - at));
    at = until;
  }
}
