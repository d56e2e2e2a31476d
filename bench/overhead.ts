// Where the bundles' extra cost per call comes from: the mixed bundle making
// one RPC per iteration, as built and with each per-call feature taken out
// (bench/lib/generators/bundle-edits.ts), against the minimal k6 script making the same
// call. Every case runs --repeat times, interleaved; medians are printed.
//
//   npx tsx bench/overhead.ts [--workload Ping] [--rate 1000] [--duration 12] [--repeat 3]
//                             [--cases bundle,no-thresholds,<edit names>,bare] [--json results/bench/overhead.json]
// The minimal script always runs; --cases picks the bundle variants (default: every removal, no fixes;
// the proposed fixes in bench/lib/generators/bundle-edits.ts run when named).
import { readFileSync } from 'node:fs';
import { measureCosts, renderCosts} from './lib/cost.js';
import { applyEdits, LAZY_PAYLOADS, PER_CALL_EDITS, PROPOSED_FIXES, type BundleEdit } from './lib/generators/bundle-edits.js';
import { bundleRun, GENERATORS, type CostCase, type GeneratorContext, type LoadShape, type Workload } from './lib/generators/generators.js';
import { runMain } from './lib/main.js';
import { choiceList, positiveInteger, readOptions } from './lib/options.js';
import { checkGenerators, requireBundle, writeJson } from './lib/preflight.js';
import { writeBundleVariant, type BundleVariant } from './lib/generators/protoset-variant.js';

const BASELINE = 'k6-minimal';

runMain('overhead', async () => {
  const raw = readOptions(process.argv.slice(2), {
    workload: 'Ping',
    rate: '1000',
    duration: '12',
    repeat: '3',
    cases: ['bundle', 'no-thresholds', ...PER_CALL_EDITS.map((edit) => edit.name), 'bare'].join(','),
    json: 'results/bench/overhead.json',
  });
  const chosen = new Set(
    choiceList('cases', raw.cases, ['bundle', 'no-thresholds', ...[...PER_CALL_EDITS, ...PROPOSED_FIXES].map((edit) => edit.name), 'bare', 'bare-lazy', 'fixes']),
  );
  const [workload] = choiceList('workload', raw.workload, ['Ping', 'GetRecord'] as const);
  const shape: LoadShape = { rate: positiveInteger('rate', raw.rate, 5000), durationSeconds: positiveInteger('duration', raw.duration, 120) };
  const repeats = positiveInteger('repeat', raw.repeat, 9);
  checkGenerators(['k6-minimal', 'k6-bundle']);
  const bundle = requireBundle('mixed.js');
  const source = readFileSync(bundle, 'utf8');

  const variants: BundleVariant[] = [];
  const variantCase = (id: string, label: string, edits: readonly BundleEdit[], k6Args: string[] = []): CostCase | null => {
    if (!chosen.has(id)) return null;
    const { source: edited, missing } = applyEdits(source, edits);
    if (missing.length > 0) {
      console.error(`overhead: skipping "${label}": the bundle no longer contains ${missing.join('; ')}`);
      return null;
    }
    const variant = edits.length === 0 ? null : writeBundleVariant(`overhead-${id}`, edited);
    if (variant) variants.push(variant);
    return {
      id,
      label,
      workload: workload!,
      shape,
      baselineId: BASELINE,
      command: (context) => bundleRun(variant?.path ?? bundle, workload as Workload, shape, context, k6Args),
    };
  };
  const cases: CostCase[] = [
    {
      id: BASELINE,
      label: GENERATORS['k6-minimal'].label,
      workload: workload!,
      shape,
      command: (context: GeneratorContext) => GENERATORS['k6-minimal'].command(workload!, shape, context),
    },
    variantCase('bundle', 'mixed bundle as built', []),
    variantCase('no-thresholds', 'without thresholds (--no-thresholds)', [], ['--no-thresholds']),
    ...PER_CALL_EDITS.map((edit) => variantCase(edit.name, `without ${edit.removes}`, [edit])),
    ...PROPOSED_FIXES.map((edit) => variantCase(edit.name, `fix: ${edit.removes}`, [edit])),
    variantCase('fixes', 'all proposed fixes together', PROPOSED_FIXES),
    variantCase('bare', 'without all of the removals above', PER_CALL_EDITS, ['--no-thresholds']),
    variantCase('bare-lazy', 'without all of the removals, payloads not built', [...PER_CALL_EDITS, LAZY_PAYLOADS], ['--no-thresholds']),
  ].filter((candidate): candidate is CostCase => candidate !== null);

  try {
    const results = await measureCosts('overhead', cases, repeats, { concurrentPairs: true });
    console.log(renderCosts(results, cases, 'the minimal k6 script (b)'));
    writeJson(raw.json!, { workload, shape, results });
  } finally {
    for (const variant of variants) variant.remove();
  }
});
