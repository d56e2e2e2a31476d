// Load-generator cost: CPU seconds the load-generating process spends per
// 10,000 requests, for our bundles, a minimal k6 script, ghz and Locust, each
// making the same calls at the same fixed rate against the same local target,
// in one run. Prints a markdown table and writes the figures as JSON.
//
//   npx tsx bench/load-cost.ts [--rate 1000] [--duration 15] [--workloads Ping,GetRecord,mixed]
//                              [--generators k6-minimal,k6-bundle,ghz,locust] [--repeat 1] [--json results/bench/load-cost.json]
import { measureCosts, renderCosts } from './lib/cost.js';
import { GENERATOR_IDS, WORKLOADS, type LoadShape } from './lib/generators.js';
import { runMain } from './lib/main.js';
import { choiceList, positiveInteger, readOptions } from './lib/options.js';
import { writeJson } from './lib/preflight.js';

runMain('load-cost', async () => {
  const raw = readOptions(process.argv.slice(2), {
    rate: '1000',
    duration: '15',
    workloads: WORKLOADS.join(','),
    generators: GENERATOR_IDS.join(','),
    repeat: '1',
    json: 'results/bench/load-cost.json',
  });
  const shape: LoadShape = { rate: positiveInteger('rate', raw.rate, 5000), durationSeconds: positiveInteger('duration', raw.duration, 120) };
  const workloads = choiceList('workloads', raw.workloads, WORKLOADS);
  const generatorIds = choiceList('generators', raw.generators, GENERATOR_IDS);
  const repeats = positiveInteger('repeat', raw.repeat, 5);
  const results = await measureCosts(shape, workloads, generatorIds, repeats);
  console.log(renderCosts(results, shape));
  writeJson(raw.json!, { shape, results });
});
