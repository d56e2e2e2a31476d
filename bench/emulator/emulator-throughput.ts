// Unary Ping and GetRecord throughput of the local emulator: starts the emulator as
// its own process on 127.0.0.1, seeds one record, then runs the load client
// (another process) for a bounded time per RPC and prints requests/s, p50, p99.
// Usage: npx tsx bench/emulator/emulator-throughput.ts [--duration-s 10] [--concurrency 64] [--channels 2]
import { credentials, makeGenericClientConstructor, type Client, type ServiceError } from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { startEmulatorProcess, REPO_ROOT } from '../../test/helpers/emulator-process.js';
import { loadProtos } from '../../emulator/grpc/proto.js';
import { positiveIntegerArg } from '../lib/options.js';

interface Figures {
  rpc: string;
  /** Emulator CPU time per successful call, from process_cpu_seconds_total. */
  emulatorCpuUsPerCall?: number;
  ok: number;
  errors: number;
  firstError: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

const durationS = positiveIntegerArg(process.argv, '--duration-s', 10);
const concurrency = positiveIntegerArg(process.argv, '--concurrency', 64);
const channels = positiveIntegerArg(process.argv, '--channels', 2);

function runClient(address: string, rpc: string, request: object): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/emulator/emulator-load-client.ts', address, rpc, String(durationS), String(concurrency), String(channels), JSON.stringify(request)],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // Bounded: the client stops itself after durationS; this is the safety net.
    const killer = setTimeout(() => child.kill('SIGKILL'), (durationS + 30) * 1000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      if (code !== 0) reject(new Error(`load client for ${rpc} exited with ${code}`));
      else resolve(JSON.parse(out) as Figures);
    });
  });
}

async function seed(address: string): Promise<{ storeKey: string; key: string }> {
  const OpenSaves = makeGenericClientConstructor(loadProtos().openSaves, 'OpenSaves');
  const client = new OpenSaves(address, credentials.createInsecure()) as Client &
    Record<string, (request: object, callback: (error: ServiceError | null) => void) => void>;
  const call = (method: string, request: object): Promise<void> =>
    new Promise((resolve, reject) => client[method]!(request, (error) => (error ? reject(error) : resolve())));
  const storeKey = 'bench-store';
  const key = 'bench-record';
  await call('CreateStore', { store: { key: storeKey, name: storeKey } });
  await call('CreateRecord', {
    storeKey,
    record: {
      key,
      ownerId: 'player-1',
      tags: ['bench', 'save'],
      properties: {
        level: { type: 'INTEGER', integerValue: '42' },
        zone: { type: 'STRING', stringValue: 'forest-7' },
        hardcore: { type: 'BOOLEAN', booleanValue: false },
      },
    },
  });
  client.close();
  return { storeKey, key };
}

async function emulatorCpuSeconds(httpUrl: string): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const match = /^process_cpu_seconds_total (\S+)$/m.exec(text);
  if (!match) throw new Error(`${httpUrl}/metrics has no process_cpu_seconds_total`);
  return Number(match[1]);
}

/** Runs the client and adds the emulator's CPU time per call over the run. */
async function measure(emulator: { grpcAddress: string; httpUrl: string }, rpc: string, request: object): Promise<Figures> {
  const before = await emulatorCpuSeconds(emulator.httpUrl);
  const figures = await runClient(emulator.grpcAddress, rpc, request);
  const cpuSeconds = (await emulatorCpuSeconds(emulator.httpUrl)) - before;
  return { ...figures, emulatorCpuUsPerCall: figures.ok > 0 ? (cpuSeconds * 1e6) / figures.ok : undefined };
}

const emulator = await startEmulatorProcess();
try {
  const record = await seed(emulator.grpcAddress);
  const results = [await measure(emulator, 'Ping', { ping: 'bench' }), await measure(emulator, 'GetRecord', record)];
  console.log(
    `emulator throughput on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}; ` +
      `${durationS} s per RPC, ${concurrency} calls in flight over ${channels} channels, client in its own process`,
  );
  console.log('rpc          requests/s    p50 ms    p99 ms   emulator CPU µs/call   ok        errors');
  for (const r of results) {
    const cpu = r.emulatorCpuUsPerCall === undefined ? 'n/a' : r.emulatorCpuUsPerCall.toFixed(0);
    console.log(
      `${r.rpc.padEnd(12)} ${String(r.rps).padStart(10)} ${r.p50Ms.toFixed(2).padStart(9)} ${r.p99Ms.toFixed(2).padStart(9)} ${cpu.padStart(20)}   ${String(r.ok).padEnd(9)} ${r.errors}${r.firstError ? ` (${r.firstError})` : ''}`,
    );
  }
  console.log('emulator CPU µs/call is the emulator process alone: 1e6 / that value is what one core of the emulator can serve.');
} finally {
  await emulator.stop();
}
