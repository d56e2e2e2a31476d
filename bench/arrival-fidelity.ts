// Arrival-rate fidelity: does the bundle start iterations at the rate it was
// asked for? The mixed bundle in its Ping-only mode, and the minimal k6 script
// for reference, at each target rate; the achieved rate is what the emulator
// counted in the steady window, dropped iterations are k6's own count.
//
//   npx tsx bench/arrival-fidelity.ts [--rates 500,1000,2000] [--duration 15] [--repeat 1]
//                                     [--json results/bench/arrival-fidelity.json]
import { measureCosts, medianByCase} from './lib/cost.js';
import { GENERATORS, type CostCase, type GeneratorId } from './lib/generators/generators.js';
import { runMain } from './lib/main.js';
import { integerList, positiveInteger, readOptions } from './lib/options.js';
import { checkGenerators, writeJson } from './lib/preflight.js';
import { markdownTable } from './lib/table.js';

const GENERATORS_COMPARED: readonly GeneratorId[] = ['k6-bundle', 'k6-minimal'];

runMain('arrival-fidelity', async () => {
  const raw = readOptions(process.argv.slice(2), {
    rates: '500,1000,2000',
    duration: '15',
    repeat: '1',
    json: 'results/bench/arrival-fidelity.json',
  });
  const rates = integerList('rates', raw.rates, 10_000);
  const durationSeconds = positiveInteger('duration', raw.duration, 120);
  const repeats = positiveInteger('repeat', raw.repeat, 9);
  checkGenerators(GENERATORS_COMPARED);
  const cases: CostCase[] = rates.flatMap((rate) =>
    GENERATORS_COMPARED.map((id): CostCase => {
      const shape = { rate, durationSeconds };
      return {
        id: `${id}/${rate}`,
        label: GENERATORS[id].label,
        workload: 'Ping',
        shape,
        command: (context) => GENERATORS[id].command('Ping', shape, context),
      };
    }),
  );
  const results = await measureCosts('arrival-fidelity', cases, repeats);
  const medians = medianByCase(results);
  const rows = cases.map((costCase) => {
    const result = medians.get(costCase.id);
    const achieved = result?.steady?.achievedRate ?? null;
    const dropped = result?.droppedIterations ?? null;
    const started = result?.iterations ?? null;
    return [
      costCase.shape.rate,
      costCase.label,
      achieved,
      achieved === null ? null : `${((achieved / costCase.shape.rate) * 100).toFixed(1)}%`,
      started,
      dropped,
      dropped === null || started === null ? null : `${((dropped / (started + dropped)) * 100).toFixed(2)}%`,
      result?.steady ? (result.steady.cpuSeconds / result.steady.seconds) * 100 : null,
    ];
  });
  console.log(
    markdownTable(
      ['target /s', 'generator', 'achieved /s (steady)', 'achieved / target', 'iterations', 'dropped iterations', 'dropped share', 'generator CPU % of one core'],
      rows,
    ),
  );
  writeJson(raw.json!, { rates, durationSeconds, results });
});
