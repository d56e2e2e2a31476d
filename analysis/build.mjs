// Builds the analysis CLI into analysis/dist/ with esbuild, so `npm run analyze` starts without compiling
// TypeScript: dist/cli.js (the CLI), dist/worker.js (what each worker thread loads, started through
// dist/input/worker.js), chunk-*.js (the modules loaded only when asked for, and what both share), help.txt, and
// dist/manifest.json listing the size and mtime of every file the build read, which `buildIsCurrent` checks.
//
//   node analysis/build.mjs              build
//   node analysis/build.mjs --if-stale   build only when a source changed since the last build
//
// npm packages stay imports of node_modules. Code splitting keeps what the sources load with `await import` (the
// CloudWatch client, the PNG renderer) in chunks of their own: bundled into one file, their packages' imports would
// be hoisted to its top and loaded by every run. Runs from `npm ci` (prepare), `make setup` and, when a source
// changed, analysis/launch.mjs.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ANALYSIS_DIR = dirname(fileURLToPath(import.meta.url));
const SOURCE_DIR = join(ANALYSIS_DIR, 'src');
export const DIST_DIR = join(ANALYSIS_DIR, 'dist');
const MANIFEST = join(DIST_DIR, 'manifest.json');
/** Entry points (output name: source under src/). Every output file lands in dist/ itself (see sourceUrlPlugin). */
const ENTRIES = { cli: 'cli.ts', worker: 'input/worker.ts' };
/** Where the sources' scan.ts starts its workers, beside itself as if compiled file by file: a one-line module there. */
const WORKER_START = 'input/worker.js';
/** Read at run time relative to the module that reads them: copied to the same place under dist/. */
const COPIED = ['help.txt'];

/**
 * Whether dist/ was built from the sources as they are now: every file the build read (sources, help.txt, this
 * script) has the size and mtime it had then, and every output is there. About 70 stat calls, 2 to 4 ms; a source
 * edited, added to an import or restored from git changes its mtime.
 */
export function buildIsCurrent() {
  const manifest = readManifest();
  if (manifest === null || manifest.inputs.length === 0) return false;
  for (const [path, mtimeMs, size] of manifest.inputs) {
    const stats = statOrNull(join(ANALYSIS_DIR, path));
    if (stats === null || stats.mtimeMs !== mtimeMs || stats.size !== size) return false;
  }
  return manifest.outputs.every((path) => existsSync(join(ANALYSIS_DIR, path)));
}

/** dist/manifest.json, or null when there is none (or it is not one). */
function readManifest() {
  try {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    return Array.isArray(manifest.inputs) && Array.isArray(manifest.outputs) ? manifest : null;
  } catch {
    return null;
  }
}

function statOrNull(path) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/**
 * Every module of the bundle keeps its own `import.meta.url`, as if the sources had been compiled file by file into
 * dist/: src/config/args.ts sees dist/config/args.js, so its `../../../data/slo.json` still names the repository's
 * data/; cli.ts sees dist/cli.js (its "run as main" check, help.txt); scan.ts sees dist/input/scan.js (not a .ts
 * file, so its workers load dist/input/worker.js directly). Modules outside src/ (catalogue/) see their own path.
 * Each is written relative to the output file the module lands in, which is why every output file is in dist/.
 */
function sourceUrlPlugin() {
  return {
    name: 'source-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
        const inSource = args.path.startsWith(SOURCE_DIR + sep);
        const seenAs = inSource ? join(DIST_DIR, relative(SOURCE_DIR, args.path)).replace(/\.ts$/, '.js') : args.path;
        const fromBundle = relative(DIST_DIR, seenAs).split(sep).join('/');
        const url = `new URL(${JSON.stringify(fromBundle.startsWith('.') ? fromBundle : `./${fromBundle}`)}, import.meta.url).href`;
        return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
      });
    },
  };
}

/** Builds dist/ and writes the manifest; `log` gets one line per output. */
export async function buildAnalysis({ log = () => {} } = {}) {
  // Loaded here only: a run whose build is current never loads esbuild.
  const { build } = await import('esbuild');
  const started = Date.now();
  const outputs = [];
  const inputs = new Set([relative(ANALYSIS_DIR, fileURLToPath(import.meta.url))]);
  const result = await build({
    absWorkingDir: ANALYSIS_DIR,
    entryPoints: Object.entries(ENTRIES).map(([out, source]) => ({ out, in: join(SOURCE_DIR, source) })),
    outdir: DIST_DIR,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'warning',
    plugins: [sourceUrlPlugin()],
  });
  for (const input of Object.keys(result.metafile.inputs)) inputs.add(input);
  for (const file of result.outputFiles) outputs.push({ path: file.path, contents: file.contents });
  outputs.push({ path: join(DIST_DIR, WORKER_START), contents: Buffer.from("import '../worker.js';\n") });
  for (const name of COPIED) {
    inputs.add(relative(ANALYSIS_DIR, join(SOURCE_DIR, name)));
    outputs.push({ path: join(DIST_DIR, name), contents: readFileSync(join(SOURCE_DIR, name)) });
  }
  for (const output of outputs) {
    writeWhole(output.path, output.contents);
    log(`${relative(process.cwd(), output.path)} ${(output.contents.length / 1024).toFixed(1)} KiB`);
  }
  const manifest = {
    inputs: [...inputs].sort().map((path) => {
      const stats = statSync(join(ANALYSIS_DIR, path));
      // A file changed while the build ran may not be in the output: recorded as unseen, so the next run builds again.
      return [path.split(sep).join('/'), stats.mtimeMs >= started ? 0 : stats.mtimeMs, stats.size];
    }),
    outputs: outputs.map((output) => relative(ANALYSIS_DIR, output.path).split(sep).join('/')),
  };
  writeWhole(MANIFEST, JSON.stringify(manifest, null, 1));
  removeOldChunks(new Set(manifest.outputs));
}

/**
 * Chunks of earlier builds (their names carry a content hash, so they never clash) are removed a day after they were
 * written: an analysis started before a rebuild may still load one of its chunks (the PNG renderer, at the end).
 */
function removeOldChunks(current) {
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const name of readdirSync(DIST_DIR)) {
    const path = join(DIST_DIR, name);
    if (current.has(relative(ANALYSIS_DIR, path).split(sep).join('/')) || !/\.js(\.map)?$/.test(name)) continue;
    const stats = statOrNull(path);
    if (stats !== null && stats.isFile() && stats.mtimeMs < dayAgo) rmSync(path, { force: true });
  }
}

/** Written under another name and renamed: a run started meanwhile reads the old file or the new one, never half. */
function writeWhole(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, contents);
  renameSync(partial, path);
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && buildIsCurrent()) process.exit(0);
  try {
    await buildAnalysis({ log: (line) => console.log(line) });
  } catch (error) {
    console.error(`analysis/build.mjs: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exit(1);
  }
}
