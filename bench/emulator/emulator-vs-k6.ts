// Who saturates first when real k6 drives the local emulator on this machine:
// runs bin/k6 (one connection per VU) against the emulator for Ping and GetRecord
// and prints calls/s plus the CPU time per call of k6 and of the emulator.
// Linux or macOS with bash (k6's CPU comes from the shell's `times`).
// Usage: npx tsx bench/emulator/emulator-vs-k6.ts [--duration-s 8] [--vus 32]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, makeGenericClientConstructor, type Client, type ServiceError } from '@grpc/grpc-js';
import { K6_BINARY } from '../../test/helpers/k6.js';
import { REPO_ROOT, startEmulatorProcess } from '../../test/helpers/emulator-process.js';
import { loadProtos } from '../../emulator/grpc/proto.js';
import { positiveIntegerArg } from '../lib/options.js';

const durationS = positiveIntegerArg(process.argv, '--duration-s', 8);
const vus = positiveIntegerArg(process.argv, '--vus', 32);

async function emulatorCpuSeconds(httpUrl: string): Promise<number> {
  const match = /^process_cpu_seconds_total (\S+)$/m.exec(await (await fetch(`${httpUrl}/metrics`)).text());
  if (!match) throw new Error(`${httpUrl}/metrics has no process_cpu_seconds_total`);
  return Number(match[1]);
}

/** Runs k6 under bash so `times` reports k6's CPU; returns calls and k6 CPU seconds. */
function runK6(grpcAddress: string, rpc: string, request: object, summaryPath: string): Promise<{ calls: number; k6CpuS: number; p50: number; p99: number }> {
  const k6 = `"${K6_BINARY}" run --quiet --no-color --summary-export "${summaryPath}" bench/emulator/emulator-k6-load.js > /dev/null`;
  const env = {
    ...process.env,
    K6_NO_USAGE_REPORT: 'true',
    EMULATOR_GRPC: grpcAddress,
    RPC: rpc,
    REQUEST: JSON.stringify(request),
    VUS: String(vus),
    DURATION: `${durationS}s`,
  };
  // __ENV in k6 sees the process environment, so no -e flags are needed.
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `${k6} || exit $?; times`], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), (durationS + 60) * 1000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      if (code !== 0) return reject(new Error(`k6 run for ${rpc} exited with ${code}`));
      // `times` prints the shell's own line, then its children's: "0m3.280s 0m1.210s".
      const childLine = out.trim().split('\n').pop() ?? '';
      const seconds = [...childLine.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
      const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as {
        metrics: Record<string, { count?: number; med?: number; 'p(99)'?: number }>;
      };
      const duration = summary.metrics.grpc_req_duration ?? {};
      resolve({
        calls: summary.metrics.iterations?.count ?? 0,
        k6CpuS: (seconds[0] ?? 0) + (seconds[1] ?? 0),
        p50: duration.med ?? 0,
        p99: duration['p(99)'] ?? 0,
      });
    });
  });
}

async function seedRecord(address: string): Promise<{ storeKey: string; key: string }> {
  const OpenSaves = makeGenericClientConstructor(loadProtos().openSaves, 'OpenSaves');
  const client = new OpenSaves(address, credentials.createInsecure()) as Client &
    Record<string, (request: object, callback: (error: ServiceError | null) => void) => void>;
  const call = (method: string, request: object): Promise<void> =>
    new Promise((resolve, reject) => client[method]!(request, (error) => (error ? reject(error) : resolve())));
  await call('CreateStore', { store: { key: 'k6-bench', name: 'k6-bench' } });
  await call('CreateRecord', {
    storeKey: 'k6-bench',
    record: { key: 'r1', ownerId: 'p1', tags: ['bench'], properties: { level: { type: 'INTEGER', integerValue: '7' } } },
  });
  client.close();
  return { storeKey: 'k6-bench', key: 'r1' };
}

const scratch = mkdtempSync(join(tmpdir(), 'emulator-vs-k6-'));
const emulator = await startEmulatorProcess();
try {
  const record = await seedRecord(emulator.grpcAddress);
  console.log(`real k6 against the local emulator: ${vus} VUs (one connection each), ${durationS} s per RPC, 127.0.0.1`);
  console.log('rpc          calls/s   p50 ms   p99 ms   k6 CPU µs/call   emulator CPU µs/call');
  for (const [rpc, request] of [
    ['Ping', { ping: 'bench' }],
    ['GetRecord', record],
  ] as const) {
    const before = await emulatorCpuSeconds(emulator.httpUrl);
    const run = await runK6(emulator.grpcAddress, rpc, request, join(scratch, `${rpc}.json`));
    const emulatorCpuS = (await emulatorCpuSeconds(emulator.httpUrl)) - before;
    const perCall = (seconds: number) => ((seconds * 1e6) / Math.max(1, run.calls)).toFixed(0);
    console.log(
      `${rpc.padEnd(12)} ${String(Math.round(run.calls / durationS)).padStart(7)} ${run.p50.toFixed(2).padStart(8)} ${run.p99.toFixed(2).padStart(8)} ${perCall(run.k6CpuS).padStart(16)} ${perCall(emulatorCpuS).padStart(20)}`,
    );
  }
} finally {
  await emulator.stop();
  rmSync(scratch, { recursive: true, force: true });
}
