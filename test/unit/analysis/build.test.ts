// The prebuilt analysis (analysis/build.mjs into analysis/dist, run by analysis/launch.mjs as `npm run analyze` does):
// the same summary.json as the TypeScript sources, worker threads loading the built worker file, and a source change
// picked up by the next run.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, fixture, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

function launch(root: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(root, 'analysis/launch.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the prebuilt analysis', () => {
  it.each([0, 2])('writes the same summary.json as the TypeScript sources (--workers %i)', async (workers) => {
    const built = tempDir();
    const fromSource = tempDir();
    const args = (out: string) => [fixture('smoke.json'), '--format', 'json', '--out-dir', out, '--workers', String(workers)];
    const run = launch(REPO, args(built));
    // smoke.json misses GetRecord's error-rate objective: exit 1, with a complete report.
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.status).toBe(1);
    expect((await cli(args(fromSource))).exitCode).toBe(1);
    expect(readFileSync(join(built, 'summary.json'), 'utf8')).toBe(readFileSync(join(fromSource, 'summary.json'), 'utf8'));
    expect(statSync(join(REPO, 'analysis/dist/input/worker.js')).isFile()).toBe(true);
  });

  it('prints the usage from the built help.txt and runs as main when started directly', () => {
    expect(launch(REPO, ['--help']).status).toBe(0);
    const run = spawnSync(process.execPath, [join(REPO, 'analysis/dist/cli.js'), '--help'], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(readFileSync(join(REPO, 'analysis/src/help.txt'), 'utf8'));
  });

  it('loads the AWS SDK, the chart renderer and esbuild only when asked for, as the sources do', () => {
    expect(launch(REPO, ['--help']).status).toBe(0);
    // CommonJS packages imported from ES modules are in require.cache once loaded.
    const script = `import { createRequire } from 'node:module';
      await import(${JSON.stringify(join(REPO, 'analysis/dist/cli.js'))});
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify({ all: loaded.length, lazy: loaded.filter((path) => /node_modules[\\/](@aws-sdk|@smithy|@napi-rs|chart\.js|esbuild)[\\/]/.test(path)) }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
    const { all, lazy } = JSON.parse(run.stdout) as { all: number; lazy: string[] };
    expect(all).toBeGreaterThan(0);
    expect(lazy).toEqual([]);
  });

  it('reports a bad input in one line with exit 2, as from the sources', () => {
    const run = launch(REPO, [join(tempDir(), 'missing.json')]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: .*missing\.json.*no such file/);
  });

  describe('in a copy of the sources', () => {
    // A copy, so that changing a source here cannot disturb anyone else's run of the repository's analysis.
    const root = tempDir();
    cpSync(join(REPO, 'analysis/src'), join(root, 'analysis/src'), { recursive: true });
    for (const file of ['analysis/build.mjs', 'analysis/launch.mjs', 'package.json']) cpSync(join(REPO, file), join(root, file));
    for (const dir of ['catalogue', 'proto', 'data']) cpSync(join(REPO, dir), join(root, dir), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));

    it('builds on the first run, then runs the build as it is until a source changes', () => {
      const first = launch(root, ['--help']);
      expect(first.status).toBe(0);
      expect(first.stdout).toMatch(/^Usage: npm run analyze/);
      const builtAt = statSync(join(root, 'analysis/dist/cli.js')).mtimeMs;
      expect(launch(root, ['--help']).status).toBe(0);
      expect(statSync(join(root, 'analysis/dist/cli.js')).mtimeMs).toBe(builtAt);
    });

    it('runs the changed code on the next run after a TypeScript source or help.txt changes', () => {
      expect(launch(root, ['--help']).stdout).not.toMatch(/changed source/);
      const cliSource = join(root, 'analysis/src/cli.ts');
      const text = readFileSync(cliSource, 'utf8');
      const helpRead = "streams.stdout.write(readFileSync(new URL('./help.txt', import.meta.url), 'utf8'));";
      expect(text).toContain(helpRead);
      writeFileSync(cliSource, text.replace(helpRead, `streams.stdout.write('changed source\\n'); ${helpRead}`));
      const afterSource = launch(root, ['--help']);
      expect(afterSource.status).toBe(0);
      expect(afterSource.stdout).toMatch(/^changed source\nUsage: npm run analyze/);
      appendFileSync(join(root, 'analysis/src/help.txt'), 'changed help\n');
      expect(launch(root, ['--help']).stdout).toMatch(/changed help\n$/);
    });

    it('rebuilds when an output is missing', () => {
      const worker = join(root, 'analysis/dist/input/worker.js');
      rmSync(worker);
      expect(launch(root, ['--help']).status).toBe(0);
      expect(statSync(worker).isFile()).toBe(true);
    });
  });
});
