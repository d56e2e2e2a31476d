// Reads a running k6's iteration count from its REST API (`k6 run --address`).
// Two k6 runs of a pair can then share one emulator: each counts its own calls,
// where the emulator's counter would add both together. In the workloads that are
// compared (Ping, GetRecord) an iteration is one call.
import { createServer } from 'node:net';

/** The count in k6's answer to GET /v1/metrics/iterations; 0 before the first iteration ends. */
export function iterationsFromApi(body: unknown): number {
  const count = (body as { data?: { attributes?: { sample?: { count?: unknown } } } })?.data?.attributes?.sample?.count;
  if (typeof count !== 'number' || !Number.isFinite(count)) {
    throw new Error(`k6 REST API: expected data.attributes.sample.count to be a number, got ${JSON.stringify(count)}`);
  }
  return count;
}

/**
 * A counter reader for the k6 whose REST API listens at `address` (host:port on
 * 127.0.0.1). k6 answers 404 until an iteration has ended, and nothing while it
 * starts up: both read as 0.
 */
export function k6IterationCounter(address: string): () => Promise<number> {
  return async () => {
    let response: Response;
    try {
      response = await fetch(`http://${address}/v1/metrics/iterations`);
    } catch {
      return 0;
    }
    if (response.status === 404) return 0;
    if (!response.ok) throw new Error(`GET http://${address}/v1/metrics/iterations answered ${response.status}`);
    return iterationsFromApi(await response.json());
  };
}

/**
 * The bytes the k6 at `address` has sent and received so far (data_sent + data_received),
 * for CPU per MB moved over a steady window; 0 before k6 answers.
 */
export function k6DataCounter(address: string): () => Promise<number> {
  const metric = async (name: string): Promise<number> => {
    let response: Response;
    try {
      response = await fetch(`http://${address}/v1/metrics/${name}`);
    } catch {
      return 0;
    }
    if (response.status === 404) return 0;
    if (!response.ok) throw new Error(`GET http://${address}/v1/metrics/${name} answered ${response.status}`);
    return iterationsFromApi(await response.json());
  };
  return async () => (await metric('data_sent')) + (await metric('data_received'));
}

/** A loopback port free at the time of asking, for a k6 REST API. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free loopback port'))));
    });
  });
}
