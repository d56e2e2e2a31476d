// Memory per VU: peak RSS of k6 with 100, 500 and 1,000 pre-allocated VUs, for
// the minimal script and each bundle: parsing the .proto in every VU (as the
// bundles do today), loading the prebuilt descriptor set instead, and also
// leaving the blob payloads out of the init context (bench/lib/vu-memory.ts).
//
//   npx tsx bench/vu-memory.ts [--vus 100,500,1000] [--scripts minimal,mixed] [--sources proto,protoset,protoset-lazy]
//                              [--json results/bench/vu-memory.json]
// --scripts takes "minimal" and bundle names from dist/ (default: minimal and every bundle).
import { readdirSync } from 'node:fs';
import { REPO_ROOT } from '../test/helpers/emulator-process.js';
import { runMain } from './lib/main.js';
import { choiceList, integerList, readOptions } from './lib/options.js';
import { prepareScratch, writeJson } from './lib/preflight.js';
import { applicable, measureVuMemory, PROTO_SOURCES, renderVuMemory, type MemoryResult } from './lib/vu-memory.js';

function availableScripts(): string[] {
  let bundles: string[] = [];
  try {
    bundles = readdirSync(`${REPO_ROOT}/dist`).filter((file) => file.endsWith('.js')).map((file) => file.slice(0, -3));
  } catch {
    // No dist/ yet: only the minimal script can be measured; --scripts says so if a bundle is asked for.
  }
  return ['minimal', ...bundles.sort()];
}

runMain('vu-memory', async () => {
  const scripts = availableScripts();
  const raw = readOptions(process.argv.slice(2), {
    vus: '100,500,1000',
    scripts: scripts.join(','),
    sources: PROTO_SOURCES.join(','),
    json: 'results/bench/vu-memory.json',
  });
  const vuCounts = integerList('vus', raw.vus, 5000);
  const chosen = choiceList('scripts', raw.scripts, scripts);
  const sources = choiceList('sources', raw.sources, PROTO_SOURCES);
  const scratch = prepareScratch('vu-memory');
  const results: MemoryResult[] = [];
  try {
    for (const script of chosen) {
      for (const vus of vuCounts) {
        for (const protoSource of sources.filter((source) => applicable({ script, protoSource: source }))) {
          const result = await measureVuMemory({ script, protoSource }, vus, scratch.protosetPath, scratch.dir);
          console.error(`vu-memory: ${script} (${protoSource}) ${vus} VUs: ${result.peakRssMb.toFixed(0)} MB, init ${result.initCpuSeconds.toFixed(2)} CPU s`);
          results.push(result);
        }
      }
    }
  } finally {
    scratch.remove();
  }
  console.log(renderVuMemory(results, vuCounts));
  writeJson(raw.json!, { vuCounts, results });
});
