// Entry point of `npm run analyze`: arguments in, exit code out. Everything else lives in the modules it calls.
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze } from './analyze.js';
import { parseArgs } from './config/args.js';
import { EXIT_BAD_INPUT, EXIT_OK } from './config/constants.js';
import { ConfigError, InputError } from './config/errors.js';
import { ProgressBar } from './input/progress.js';
import type { ThresholdResult } from './verdicts/thresholds.js';
import type { ScalingAnalysis } from './scaling/index.js';
import type { Summary } from './summary.js';
import { writeReports } from './report/write.js';

export interface CliStreams {
  stdout: { write(text: string): boolean };
  stderr: { isTTY?: boolean; write(text: string): boolean };
}

export async function runCli(argv: readonly string[], streams: CliStreams = process): Promise<number> {
  try {
    const config = parseArgs(argv);
    if (config.help) {
      streams.stdout.write(readFileSync(new URL('./help.txt', import.meta.url), 'utf8'));
      return EXIT_OK;
    }
    const progress = new ProgressBar(streams.stderr);
    const result = await analyze(config, { onStart: (bytes) => progress.start(bytes), onProgress: (bytes) => progress.advance(bytes) });
    progress.finish();
    const written = await writeReports(result, config.outDir, config.formats);
    const s = result.summary;
    for (const warning of s.warnings) streams.stderr.write(`warning: ${warning}\n`);
    streams.stderr.write(
      `${s.totals.requests} requests in ${s.totals.durationSec.toFixed(1)} s, ${Object.keys(s.operations).length} operations; ` +
        `SLO ${s.slo.pass ? 'met' : `missed (${s.slo.violations.map((v) => `${v.op} ${v.criterion}`).join(', ')})`}` +
        (s.thresholds.length > 0 ? `; k6 thresholds ${thresholdsText(s.thresholds)}` : '') +
        (s.comparison ? `; vs baseline ${s.comparison.pass ? 'no regression' : 'REGRESSION'}` : '') +
        '\n' +
        capacityText(s) +
        housekeepingText(s) +
        `wrote ${written.join(', ')}\n`,
    );
    if (result.scaling !== null) streams.stderr.write(scalingText(result.scaling));
    return result.exitCode;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof InputError) {
      streams.stderr.write(`error: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    // Anything else is a bug, still reported in one line; ANALYZE_DEBUG=1 shows where.
    const message = error instanceof Error ? error.message : String(error);
    streams.stderr.write(`error: unexpected failure: ${message}\n`);
    if (process.env.ANALYZE_DEBUG === '1' && error instanceof Error) streams.stderr.write(`${error.stack}\n`);
    return EXIT_BAD_INPUT;
  }
}

/** The capacity verdict in the capacity scenario's own words ("last step that held: N"), when the run had steps. */
function capacityText(s: Summary): string {
  const capacity = s.capacity;
  if (capacity === undefined) return '';
  const rate = (r: number): string => `${Math.round(r * 10) / 10} iterations/s offered`;
  const held =
    capacity.lastHeldStep === null ? 'no step held the SLO' : `last step that held: ${capacity.lastHeldStep} at ${rate(capacity.maxRateHoldingSlo ?? 0)}`;
  const failing = capacity.firstFailingStep === null ? null : capacity.steps[capacity.firstFailingStep]!;
  const broke = failing === null ? '; no step broke it' : `; step ${failing.name} broke it (${failing.violations.map((v) => `${v.op} ${v.criterion}`).join(', ')})`;
  return `capacity: ${held}${broke}\n`;
}

/** One line at most: the requests setup(), teardown() and dist/cleanup.js made, which no figure above counts. */
function housekeepingText(s: Summary): string {
  const h = s.housekeeping;
  if (h.requests === 0) return '';
  const phases = Object.entries(h.phases).map(([phase, p]) => `${phase} ${p.requests}`);
  return `housekeeping, not counted above: ${h.requests} requests (${phases.join(', ')}), ${h.errors} errors\n`;
}

/** The scaling recommendations, last in the printed summary: what to change, per component. */
function scalingText(analysis: ScalingAnalysis): string {
  const { scaling } = analysis;
  const lines = [`Scaling recommendations (goal ${scaling.goalRate}/s; bottleneck: ${scaling.bottleneck ?? 'none found'}):`];
  for (const finding of analysis.findings) lines.push(`  ${finding}`);
  for (const c of scaling.components) {
    lines.push(`  - ${c.name}${c.saturatedAtRate === null ? '' : ` (saturated at ${Math.round(c.saturatedAtRate * 10) / 10}/s offered)`}: ${c.recommendation}`);
  }
  return `${lines.join('\n')}\n`;
}

function thresholdsText(thresholds: readonly ThresholdResult[]): string {
  const failed = thresholds.filter((t) => t.pass === false);
  if (failed.length === 0) return `${thresholds.length} passed`;
  return `${failed.length} of ${thresholds.length} FAILED (${failed.map((t) => `${t.metric} ${t.expression}`).join(', ')})`;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await runCli(process.argv.slice(2));
