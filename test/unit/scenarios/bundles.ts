// Bundles the scenarios with the repository's own esbuild.config.mjs into a
// private directory per test file (scripts/, proto/ and data/ linked in), so
// parallel test files never rewrite a bundle another k6 process is reading.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/emulator-process.js';

export interface Bundles {
  /** absolute path of dist/<scenario>.js */
  path(scenario: string): string;
  /** the directory holding dist/, for summaries and other run output */
  readonly root: string;
}

export function bundleScenarios(): Bundles {
  const root = mkdtempSync(join(tmpdir(), 'opensaves-scenarios-'));
  for (const linked of ['scripts', 'proto', 'data', 'node_modules']) symlinkSync(join(REPO_ROOT, linked), join(root, linked));
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'esbuild.config.mjs')], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`bundling failed (exit ${result.status}):\n${result.stderr}${result.stdout}`);
  return { root, path: (scenario) => join(root, 'dist', `${scenario}.js`) };
}

/** k6 arguments every test run uses: no REST API listener (parallel runs would fight over port 6565). */
export const K6_TEST_ARGS = ['--address', ''];
