// Operations (and query kinds) the chosen transport lacks: each time a flow would
// have made one, it is counted in opensaves_skipped_operations instead, tagged
// op (and query). The scenario says once, at setup, what it will skip
// (transport-plan.ts), and the summary counts them.
import type { RpcName } from '../config/constants.js';
import { memoized } from '../config/memo.js';
import { skippedOperations } from './metrics.js';

const opTags = memoized((op: RpcName): Readonly<Record<string, string>> => ({ op }));
const queryTags = memoized((query: string): Readonly<Record<string, string>> => ({ op: 'QueryRecords', query }));

export function skip(op: RpcName): void {
  skippedOperations.add(1, opTags(op));
}

export function skipQuery(kind: string): void {
  skippedOperations.add(1, queryTags(kind));
}
