// Command-line entry of the local target: parse flags, start, print the bound
// addresses, and shut down cleanly on SIGINT/SIGTERM. Bad flags exit 2.
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
      process.stderr.write(`target: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (parsed.help) {
    process.stdout.write(HELP);
    return 0;
  }
  let server;
  try {
    server = await startServer(parsed.options);
  } catch (error) {
    process.stderr.write(`target: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  process.stdout.write(`grpc listening on ${server.grpcAddress}\nhttp listening on ${server.httpUrl}\n`);
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.stderr.write(`target: ${signal} received, shutting down\n`);
      server.close().then(
        () => resolve(0),
        (error: unknown) => {
          process.stderr.write(`target: shutdown failed: ${String(error)}\n`);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`target: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
