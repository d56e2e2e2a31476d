// What every benchmark needs before its first run: the generators it will
// start, a scratch directory with a fresh descriptor set, a run id, and a
// place for its JSON figures.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { K6_BINARY } from '../../test/helpers/k6.js';
import { buildFileDescriptors, encodeDescriptorSet } from '../../tools/protoset/descriptor-set.js';
import { REPO_ROOT } from '../../test/helpers/emulator-process.js';
import { BUNDLE_DIR, type GeneratorId } from './generators/generators.js';
import { MissingInputError } from './main.js';
import { GHZ_BINARY, LOCUST_BINARY, requireExecutable } from './generators/peers.js';

export interface Scratch {
  dir: string;
  /** prefixes every key the benchmark creates on the emulator */
  runId: string;
  protosetPath: string;
  remove: () => void;
}

export function checkGenerators(ids: readonly GeneratorId[]): void {
  requireExecutable(K6_BINARY);
  if (ids.includes('ghz')) requireExecutable(GHZ_BINARY);
  if (ids.includes('locust')) requireExecutable(LOCUST_BINARY);
  if (ids.includes('k6-bundle')) requireBundle('mixed.js');
}

export function requireBundle(name: string): string {
  const path = join(BUNDLE_DIR, name);
  if (!existsSync(path)) throw new MissingInputError(`bundle dist/${name}`, 'run `make bundle` first');
  return path;
}

export function prepareScratch(benchmark: string): Scratch {
  const dir = mkdtempSync(join(tmpdir(), `bench-${benchmark}-`));
  const protosetPath = join(dir, 'open_saves.protoset');
  writeFileSync(protosetPath, encodeDescriptorSet(buildFileDescriptors(join(REPO_ROOT, 'proto'), 'open_saves.proto')));
  // The form the scenarios accept for RUN_ID (lower-case, digits, dashes, at most 24), with room for a suffix.
  const runId = `b${Date.now().toString(36)}`;
  return { dir, runId, protosetPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  console.log(`\nfigures written to ${path}`);
}
