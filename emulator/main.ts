// Command-line entry of the local emulator: parse flags, start, print the bound
// addresses, and shut down cleanly on SIGINT/SIGTERM. Bad flags exit 2.
import { logVerbosity, setLogVerbosity } from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { parseArgs } from './cli-args.js';
import { ConfigError } from './errors.js';
import { startServer } from './server.js';

const HELP = readFileSync(new URL('./help.txt', import.meta.url), 'utf8');

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`emulator: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  // grpc-js would also print its own line for bind failures, which are reported below.
  if (process.env.GRPC_VERBOSITY === undefined) setLogVerbosity(logVerbosity.NONE);
  if (parsed.help) {
    process.stdout.write(HELP);
    return 0;
  }
  // Signal handlers go in before the addresses are printed: a supervisor may signal
  // as soon as it reads them, and Node's default action would kill the process.
  let stopRequested: NodeJS.Signals | undefined;
  let requestStop: (signal: NodeJS.Signals) => void = (signal) => (stopRequested = signal);
  const onSignal = (signal: NodeJS.Signals): void => requestStop(signal);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  // A supervisor that died takes the read ends of stdout and stderr with it: a write then fails
  // (EPIPE), and unheard it would come back as an uncaught exception whose log line fails again,
  // round and round, instead of the shutdown that stdin's end asked for.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

  // A request must never take the emulator down: anything that escapes a handler is logged.
  process.on('uncaughtException', (error) => process.stderr.write(`emulator: uncaught error: ${error.stack ?? error.message}\n`));
  process.on('unhandledRejection', (reason) => process.stderr.write(`emulator: unhandled rejection: ${String(reason)}\n`));

  let server;
  try {
    server = await startServer(parsed.options);
  } catch (error) {
    process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  process.stdout.write(`grpc listening on ${server.grpcAddress}\nhttp listening on ${server.httpUrl}\n`);
  const running = server;
  return new Promise((resolve) => {
    requestStop = (signal) => {
      process.stderr.write(`emulator: ${signal} received, shutting down\n`);
      running.close().then(
        () => resolve(0),
        (error: unknown) => {
          process.stderr.write(`emulator: shutdown failed: ${String(error)}\n`);
          resolve(1);
        },
      );
    };
    if (stopRequested) requestStop(stopRequested);
    if (parsed.stopWhenStdinCloses) {
      // The supervisor holds the other end of stdin; when it dies, even by SIGKILL, the pipe closes.
      process.stdin.once('end', () => requestStop('SIGTERM'));
      process.stdin.resume();
    }
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
