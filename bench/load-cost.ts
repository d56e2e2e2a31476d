// Load-generator cost: CPU seconds the load-generating process spends per
// 10,000 requests, for our bundles, a minimal k6 script, ghz and Locust, each
// making the same calls at the same fixed rate against the same local emulator,
// in one run. Prints a markdown table and writes the figures as JSON.
//
//   npx tsx bench/load-cost.ts [--rate 1000] [--mixed-rate 100] [--duration 15] [--workloads Ping,GetRecord,mixed]
//                              [--generators k6-minimal,k6-bundle,ghz,locust] [--repeat 3] [--json results/bench/load-cost.json]
// The mix includes 1 MB and 10 MB blob transfers, so it runs at its own, lower rate.
import { measureCosts, renderCosts } from './lib/cost.js';
import { GENERATOR_IDS, generatorCases, WORKLOADS } from './lib/generators/generators.js';
import { runMain } from './lib/main.js';
import { choiceList, positiveInteger, readOptions } from './lib/options.js';
import { checkGenerators, writeJson } from './lib/preflight.js';

runMain('load-cost', async () => {
  const raw = readOptions(process.argv.slice(2), {
    rate: '1000',
    'mixed-rate': '100',
    duration: '15',
    workloads: WORKLOADS.join(','),
    generators: GENERATOR_IDS.join(','),
    repeat: '3',
    json: 'results/bench/load-cost.json',
  });
  const durationSeconds = positiveInteger('duration', raw.duration, 120);
  const shape = { rate: positiveInteger('rate', raw.rate, 5000), durationSeconds };
  const mixedShape = { rate: positiveInteger('mixed-rate', raw['mixed-rate'], 5000), durationSeconds };
  const workloads = choiceList('workloads', raw.workloads, WORKLOADS);
  const generatorIds = choiceList('generators', raw.generators, GENERATOR_IDS);
  const repeats = positiveInteger('repeat', raw.repeat, 9);
  checkGenerators(generatorIds);
  const cases = generatorCases(generatorIds, workloads, shape, mixedShape);
  const results = await measureCosts('load-cost', cases, repeats, { concurrentPairs: true });
  console.log(renderCosts(results, cases, 'the minimal k6 script (b)'));
  writeJson(raw.json!, { shape, mixedShape, results });
});
