// Load client for bench/emulator/emulator-throughput.ts, run as its own process so it does
// not share an event loop with the emulator. Keeps `concurrency` unary calls in
// flight for `durationS` seconds and prints one JSON line with the figures.
// Usage: tsx bench/emulator/emulator-load-client.ts <address> <rpc> <durationS> <concurrency> <channels> <json request>
import { credentials, makeGenericClientConstructor, type Client, type ServiceError } from '@grpc/grpc-js';
import { performance } from 'node:perf_hooks';
import { loadProtos } from '../../emulator/grpc/proto.js';

type UnaryMethod = (request: object, callback: (error: ServiceError | null) => void) => void;

const [address, rpc, durationText, concurrencyText, channelsText, requestJson] = process.argv.slice(2);
if (!address || !rpc || !durationText || !concurrencyText || !channelsText || !requestJson) {
  process.stderr.write('usage: emulator-load-client.ts <address> <rpc> <durationS> <concurrency> <channels> <json request>\n');
  process.exit(2);
}
const rpcName: string = rpc;
const durationMs = Number(durationText) * 1000;
const concurrency = Number(concurrencyText);
const request = JSON.parse(requestJson) as object;

const OpenSaves = makeGenericClientConstructor(loadProtos().openSaves, 'OpenSaves');
// A distinct option per channel stops grpc-js from sharing one subchannel (one TCP connection).
const clients = Array.from(
  { length: Number(channelsText) },
  (_, i) => new OpenSaves(address, credentials.createInsecure(), { 'bench.channel': i }) as Client & Record<string, UnaryMethod>,
);

// Latencies in microseconds; sorted once at the end.
const latencies: number[] = [];
let errors = 0;
let firstError = '';
const start = performance.now();
const deadline = start + durationMs;

function loop(worker: number): Promise<void> {
  const client = clients[worker % clients.length]!;
  const method = client[rpcName]!.bind(client);
  return new Promise((resolve) => {
    const next = (): void => {
      if (performance.now() >= deadline) return resolve();
      const sent = performance.now();
      method(request, (error: ServiceError | null) => {
        if (error) {
          errors++;
          firstError ||= `${error.code} ${error.details}`;
        } else latencies.push(Math.round((performance.now() - sent) * 1000));
        next();
      });
    };
    next();
  });
}

await Promise.all(Array.from({ length: concurrency }, (_, worker) => loop(worker)));
const elapsedS = (performance.now() - start) / 1000;
for (const client of clients) client.close();
latencies.sort((a, b) => a - b);
const percentile = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({
    rpc: rpcName,
    ok: latencies.length,
    errors,
    firstError,
    rps: Math.round(latencies.length / elapsedS),
    p50Ms: percentile(50) / 1000,
    p99Ms: percentile(99) / 1000,
  })}\n`,
);
