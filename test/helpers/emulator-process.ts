// Starts the local Open Saves emulator as its own process (as a user would with
// `npm run emulator`) on random loopback ports and resolves once both listeners
// are bound, so tests never sleep while waiting for readiness.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface EmulatorProcess {
  /** host:port of the gRPC listener, e.g. 127.0.0.1:41873 */
  grpcAddress: string;
  /** base URL of the HTTP listener, e.g. http://127.0.0.1:41874 */
  httpUrl: string;
  /** everything the process printed so far */
  output: () => string;
  stop: () => Promise<number | null>;
}

const GRPC_LINE = /grpc listening on (127\.0\.0\.1:\d+)/;
const HTTP_LINE = /http listening on (http:\/\/127\.0\.0\.1:\d+)/;

export async function startEmulatorProcess(extraArgs: string[] = [], readyTimeoutMs = 30_000): Promise<EmulatorProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'emulator/main.ts', '--grpc-port', '0', '--http-port', '0', '--stop-when-stdin-closes', ...extraArgs],
    // stdin stays a pipe held by this process: if a test run dies, the emulator follows it.
    { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));

  const addresses = await new Promise<{ grpcAddress: string; httpUrl: string }>((resolve, reject) => {
    let grpcAddress = '';
    let httpUrl = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`emulator did not report its addresses within ${readyTimeoutMs} ms; output:\n${log}`));
    }, readyTimeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with code ${code} before it was ready; output:\n${log}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log += `${line}\n`;
      grpcAddress ||= GRPC_LINE.exec(line)?.[1] ?? '';
      httpUrl ||= HTTP_LINE.exec(line)?.[1] ?? '';
      if (grpcAddress && httpUrl) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ grpcAddress, httpUrl });
      }
    });
  });

  return { ...addresses, output: () => log, stop: () => stopProcess(child) };
}

function stopProcess(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}
