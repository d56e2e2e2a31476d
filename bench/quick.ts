// The key ratios in under two minutes (make bench-quick): the framework
// overhead of the mixed bundle over the minimal k6 script on Ping, and what
// the descriptor set and lazy payloads do to k6's memory. Shorter and with
// fewer repeats than make bench, so the figures are noisier.
//
//   npx tsx bench/quick.ts [--json results/bench/quick.json]
import { costRatio, measureCosts, medianByCase} from './lib/cost.js';
import { generatorCases, type CostCase } from './lib/generators/generators.js';
import { runMain } from './lib/main.js';
import { readOptions } from './lib/options.js';
import { checkGenerators, prepareScratch, requireBundle, writeJson } from './lib/preflight.js';
import { measureVuMemory, type MemoryResult, type MemoryCase } from './lib/vu-memory.js';

// The goal: our bundles cost at most 10% more CPU per request than the minimal script.
const OVERHEAD_GOAL = 1.1;
// 20 s: the steady window skips each VU's 4 s of warm-up, and 10 s runs left too little of it (1.22x where
// section 1's 30 s runs measure 1.07-1.08x). Two pairs and the memory runs still fit in under two minutes.
const SHAPE = { rate: 1000, durationSeconds: 20 };
const REPEATS = 2;

runMain('bench-quick', async () => {
  const raw = readOptions(process.argv.slice(2), { json: 'results/bench/quick.json' });
  checkGenerators(['k6-minimal', 'k6-bundle']);
  requireBundle('mixed.js');

  const cases: CostCase[] = generatorCases(['k6-minimal', 'k6-bundle'], ['Ping'], SHAPE, SHAPE);
  const costs = await measureCosts('bench-quick', cases, REPEATS, { concurrentPairs: true });
  const medians = medianByCase(costs);
  const overhead = costRatio(costs, cases.find((candidate) => candidate.id === 'k6-bundle/Ping')!);

  const scratch = prepareScratch('bench-quick');
  const memory: MemoryResult[] = [];
  const memoryCases: [MemoryCase, number][] = [
    [{ script: 'minimal', protoSource: 'proto' }, 500],
    [{ script: 'minimal', protoSource: 'protoset' }, 500],
    [{ script: 'mixed', protoSource: 'proto' }, 100],
    [{ script: 'mixed', protoSource: 'protoset-lazy' }, 100],
  ];
  try {
    for (const [memoryCase, vus] of memoryCases) memory.push(await measureVuMemory(memoryCase, vus, scratch.protosetPath, scratch.dir));
  } finally {
    scratch.remove();
  }
  const rss = (script: string, source: string) => memory.find((result) => result.script === script && result.protoSource === source)!;
  const change = (after: MemoryResult, before: MemoryResult) =>
    `${before.peakRssMb.toFixed(0)} MB -> ${after.peakRssMb.toFixed(0)} MB (${(((after.peakRssMb - before.peakRssMb) / before.peakRssMb) * 100).toFixed(0)}%), init ${before.initCpuSeconds.toFixed(1)} -> ${after.initCpuSeconds.toFixed(1)} CPU s`;

  const bundle = medians.get('k6-bundle/Ping')?.steady?.cpuSecondsPer10k;
  const minimal = medians.get('k6-minimal/Ping')?.steady?.cpuSecondsPer10k;
  console.log(
    [
      `framework overhead, Ping at ${SHAPE.rate}/s (median of ${REPEATS}, ratio paired per repeat): mixed bundle ${bundle?.toFixed(2) ?? '—'} vs minimal k6 ${minimal?.toFixed(2) ?? '—'} CPU s per 10k requests = ${overhead === null ? '—' : `${overhead.toFixed(2)}x`} (goal <= ${OVERHEAD_GOAL.toFixed(2)}x: ${overhead !== null && overhead <= OVERHEAD_GOAL ? 'met' : 'missed'})`,
      `descriptor set, minimal k6 script, 500 VUs: ${change(rss('minimal', 'protoset'), rss('minimal', 'proto'))}`,
      `descriptor set + no init-context payloads, mixed bundle, 100 VUs: ${change(rss('mixed', 'protoset-lazy'), rss('mixed', 'proto'))}`,
    ].join('\n'),
  );
  writeJson(raw.json!, { overhead, costs, memory });
});
