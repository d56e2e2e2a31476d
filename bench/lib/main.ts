// Entry-point wrapper shared by the benchmark scripts: a known problem
// (bad option, missing tool, missing bundle) prints one line and exits 2; an
// unexpected failure prints its message and exits 1. Never a stack trace.
import { BenchConfigError } from './options.js';
import { MissingPeerError } from './generators/peers.js';
import { signalRunningGenerators } from './measure/measured-run.js';

export class MissingInputError extends Error {
  constructor(what: string, hint: string) {
    super(`missing ${what}; reason: ${hint}`);
    this.name = 'MissingInputError';
  }
}

export function runMain(name: string, body: () => Promise<void>): void {
  // Interrupted: the generators get the same signal (k6 stops gracefully), and the local emulators
  // stop when this process is gone (they watch their stdin).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      const stopped = signalRunningGenerators(signal);
      console.error(`${name}: ${signal} received; ${stopped} load generator(s) told to stop`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  body().then(
    () => {
      process.exitCode ??= 0;
    },
    (error: unknown) => {
      const known = error instanceof BenchConfigError || error instanceof MissingPeerError || error instanceof MissingInputError;
      console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = known ? 2 : 1;
    },
  );
}
