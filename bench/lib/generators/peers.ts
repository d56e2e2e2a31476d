// The peer load generators and where the benchmarks expect them. They are
// installed by bench/install-peers.sh (ghz pinned from the Go module proxy,
// Locust and grpcio from Debian), never fetched by the benchmarks themselves.
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../test/helpers/emulator-process.js';

export const GHZ_BINARY = join(REPO_ROOT, 'bin/ghz');
// Debian's Locust runs on Debian's python3, not on whatever python3 is first on PATH.
export const LOCUST_BINARY = '/usr/bin/locust';

export class MissingPeerError extends Error {
  constructor(binary: string) {
    super(`missing load generator ${binary}; reason: expected an executable, run \`bench/install-peers.sh\` (as root for the Debian packages)`);
    this.name = 'MissingPeerError';
  }
}

export function requireExecutable(binary: string): void {
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new MissingPeerError(binary);
  }
}
