// Worker thread: folds the byte ranges the main thread sends and posts each range's aggregate back.
import { parentPort, workerData } from 'node:worker_threads';
import { readRange, type RangeTask } from './reader.js';

export interface WorkerSettings {
  bucketMs: number;
  lenient: boolean;
}

export type WorkerMessage =
  | { type: 'progress'; bytes: number }
  | { type: 'result'; result: Awaited<ReturnType<typeof readRange>> };

// Progress is posted in steps of this many bytes; one message per read chunk would cost more than it tells.
const PROGRESS_STEP_BYTES = 16 * 1024 * 1024;

const settings = workerData as WorkerSettings;
const port = parentPort;
if (port === null) throw new Error('worker.ts runs only as a worker thread');

port.on('message', (task: RangeTask | null) => {
  if (task === null) {
    port.close();
    return;
  }
  let unreported = 0;
  void readRange(task, {
    ...settings,
    onProgress: (bytes) => {
      unreported += bytes;
      if (unreported >= PROGRESS_STEP_BYTES) {
        port.postMessage({ type: 'progress', bytes: unreported } satisfies WorkerMessage);
        unreported = 0;
      }
    },
  }).then((result) => {
    if (unreported > 0) port.postMessage({ type: 'progress', bytes: unreported } satisfies WorkerMessage);
    port.postMessage({ type: 'result', result } satisfies WorkerMessage);
  });
});
