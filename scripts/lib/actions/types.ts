// One operation of the mixed workload: what an iteration does when the mix
// picks that RPC name.
import type { RpcName } from '../config/constants.js';
import type { Payload } from '../model/payloads.js';
import type { RunData } from '../run/run-data.js';

export interface ActionContext {
  readonly data: RunData;
  /** payloads of every BLOB_SIZES class, made in the init context when the mix has blob operations */
  readonly payloads: readonly Payload[];
}

export type Action = (context: ActionContext) => void | Promise<void>;

export type ActionTable = Partial<Record<RpcName, Action>>;
