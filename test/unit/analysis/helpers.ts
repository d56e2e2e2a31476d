// Shared by the analysis tests: temporary directories, synthetic inputs and running the CLI in-process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../analysis/src/cli.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/analysis/', import.meta.url));

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

const dirs: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'analysis-test-'));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[], options: { tty?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(args, {
    stdout: { write: (text: string) => ((stdout += text), true) },
    stderr: { isTTY: options.tty ?? false, write: (text: string) => ((stderr += text), true) },
  });
  return { exitCode, stdout, stderr };
}

/** The printed summary with its wrapped lines joined again (continuation lines are indented 4 or more spaces). */
export function unwrapped(text: string): string {
  return text.replace(/\n {4,}/g, ' ');
}

/** Nearest-rank percentile of a sorted array, the definition HDR histograms follow. */
export function exactPercentile(sorted: readonly number[], percentile: number): number {
  // 0.999 * 200000 is 199800.00000000003 in floating point; the rank is 199800.
  const rank = Math.ceil((percentile / 100) * sorted.length - 1e-9);
  return sorted[Math.max(0, rank - 1)]!;
}
