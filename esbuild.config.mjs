// Bundles every scripts/scenarios/*.ts into dist/<name>.js for k6.
// k6 built-ins stay real imports; everything else is inlined.
// `node esbuild.config.mjs --production` minifies and drops console/debugger.
import { build } from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

const SCENARIO_DIR = 'scripts/scenarios';
const OUT_DIR = 'dist';
const production = process.argv.includes('--production');

const entryPoints = readdirSync(SCENARIO_DIR)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .map((file) => join(SCENARIO_DIR, file));

if (entryPoints.length === 0) {
  console.error(`esbuild.config.mjs: no scenarios found in ${SCENARIO_DIR}/*.ts`);
  process.exit(2);
}

const result = await build({
  entryPoints,
  outdir: OUT_DIR,
  format: 'esm',
  platform: 'browser',
  target: 'es2021',
  bundle: true,
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  // k6 resolves these itself; remote jslibs are fetched by k6 at init time.
  external: ['k6', 'k6/*', 'https://*'],
  minify: production,
  drop: production ? ['console', 'debugger'] : [],
});

// Bundle sizes are reported because every VU evaluates the whole bundle.
for (const output of Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js')).sort()) {
  console.log(`${basename(output).padEnd(16)} ${(statSync(output).size / 1024).toFixed(1).padStart(8)} KiB`);
}
