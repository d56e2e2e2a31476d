// The workload/ folder: what an iteration does: the mix, the read schedule, the per-transport plan, the capacity steps.
//
// The mixed workload shared by the mixed and capacity scenarios: the mix, the
// transport's action table, setup/teardown for that transport, and one
// iteration (read or write by READ_RATIO, operation by weight).
import exec from 'k6/execution';
import { RPC_NAMES, type RpcName } from '../config/constants.js';
import type { Config } from '../config/config.js';
import { loadMixOrAbort, mixOps, soleOperation } from './mix.js';
import { readSchedule, vuPhase } from './read-schedule.js';
import { weightedPicker } from '../run/random.js';
import { makePayload } from '../model/payloads.js';
import { setupNeeds } from '../run/setup-needs.js';
import { skip } from '../metrics/skips.js';
import { planTransport, setupOnTransport, teardownOnTransport, WAF_BLOCKED_IN_WORKLOAD } from './transport-plan.js';
import { MIXED_ACTIONS } from '../actions/mixed-actions.js';
import type { Action, ActionContext } from '../actions/types.js';
import type { RunData } from '../run/run-data.js';

export interface Workload {
  /** RPCs the workload can issue on this transport (thresholds are set for these) */
  readonly ops: readonly RpcName[];
  /** mix entries this transport lacks */
  readonly skipped: readonly RpcName[];
  /** iteration-class and skipped-operation sub-metrics, so the summary reports them */
  readonly thresholds: Record<string, string[]>;
  /** the one operation of a mix that weighs only one: its iterations are not split into read and write */
  readonly sole: RpcName | undefined;
  setup(): Promise<RunData>;
  /** one iteration; a Promise only when the picked action streams */
  iterate(data: RunData): void | Promise<void>;
  teardown(data: RunData): void;
}

// Iterations are tagged class=read or class=write, so the summary shows the ratio achieved.
const ITERATION_CLASS_THRESHOLDS = {
  'iterations{class:read}': ['count>=0'],
  'iterations{class:write}': ['count>=0'],
};

let vuClass: 'read' | 'write' | undefined;
// k6 builds a new object on every exec.vu and vu.metrics.tags read; the objects it
// hands out read and write live values, so each VU keeps the first ones.
let vuTags: Record<string, number | string | boolean> | undefined;
let readsNext: (() => boolean) | undefined;
let context: ActionContext | undefined;
let contextSource: RunData | undefined;

// The mix entries whose actions read `payloads` (the rest use the small chunk payload or none).
const PAYLOAD_OPS: readonly RpcName[] = ['CreateBlob', 'GetBlob', 'DeleteBlob'];

export function createWorkload(config: Config): Workload {
  const mix = loadMixOrAbort(config);
  const table = MIXED_ACTIONS;
  // Payloads cost every VU a 1.4 MB piece and an MD5 pass over each size class at init:
  // build them only when the mix can pick an operation that sends or checks them.
  const payloads = mixOps(mix).some((op) => PAYLOAD_OPS.includes(op)) ? config.blobSizes.map(makePayload) : [];
  // Every RPC the transport offers gets thresholds (an action calls more than its own: an update creates
  // the record it updates); the mix's entries this transport lacks are skipped.
  const plan = planTransport(RPC_NAMES);
  const skipped = mixOps(mix).filter((op) => table[op] === undefined);
  const ops = plan.ops;

  // k6 hands each VU the setup data as Go values, and every property read of those wraps
  // them anew; one JSON round trip per VU turns them into plain JavaScript objects.
  const contextFor = (data: RunData): ActionContext => {
    if (context === undefined || contextSource !== data) {
      contextSource = data;
      context = { data: JSON.parse(JSON.stringify(data)) as RunData, payloads };
    }
    return context;
  };
  // Each mix entry resolves to its action once: an iteration picks the function it runs.
  const actionOf = (op: RpcName): Action => table[op] ?? (() => skip(op));
  const pickRead = weightedPicker(mix.read.map(([op, weight]) => [actionOf(op), weight] as const));
  const pickWrite = weightedPicker(mix.write.map(([op, weight]) => [actionOf(op), weight] as const));

  // With one operation there is no read or write to choose: each iteration runs its action
  // alone, with no READ_RATIO schedule and no class tag to keep.
  const sole = soleOperation(mix);
  const soleAction = sole === undefined ? undefined : actionOf(sole);

  const thresholds: Record<string, string[]> = sole === undefined ? { ...ITERATION_CLASS_THRESHOLDS } : {};
  for (const op of skipped) thresholds[`opensaves_skipped_operations{op:${op}}`] = ['count>=0'];
  const wafThreshold = plan.thresholds[WAF_BLOCKED_IN_WORKLOAD];
  if (wafThreshold) thresholds[WAF_BLOCKED_IN_WORKLOAD] = wafThreshold;

  return {
    ops,
    skipped,
    thresholds,
    sole,
    async setup() {
      if (skipped.length > 0) {
        console.warn(`TRANSPORT=${config.transport}: the AWS port has no ${skipped.join(', ')}; the mix skips these and counts them in opensaves_skipped_operations`);
      }
      return setupOnTransport(setupNeeds(mixOps(mix)));
    },
    iterate(data) {
      if (soleAction) return soleAction(contextFor(data));
      // Each VU keeps its own READ_RATIO sequence (read-schedule.ts). The class tag is
      // written only when it changes: each write rebuilds the VU's tag set.
      const reads = (readsNext ??= readSchedule(config.readRatio, vuPhase(exec.vu.idInTest)))();
      const iterationClass = reads ? 'read' : 'write';
      if (iterationClass !== vuClass) {
        vuClass = iterationClass;
        (vuTags ??= exec.vu.metrics.tags).class = iterationClass;
      }
      const action = reads ? pickRead() : pickWrite();
      // Synchronous actions stay synchronous: an async iteration costs k6 a Promise and a generator per call.
      return action(contextFor(data));
    },
    teardown(data) {
      teardownOnTransport(data);
    },
  };
}
