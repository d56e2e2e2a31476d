// Entry point of `npm run analyze`: arguments in, exit code out. Everything else lives in the modules it calls.
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from './analyze.js';
import { parseArgs } from './config/args.js';
import { EXIT_BAD_INPUT, EXIT_OK } from './config/constants.js';
import { ConfigError, InputError } from './config/errors.js';
import { ProgressBar } from './input/progress.js';
import { summaryWidth, terminalSummary, wrap } from './report/terminal.js';
import { ANALYSIS_TEXT_FILE, writeAnalysisText, writeReports } from './report/write.js';

export interface CliStreams {
  stdout: { write(text: string): boolean };
  /** the printed summary goes here; `columns` (a terminal's width) sets how wide it is laid out */
  stderr: { isTTY?: boolean; columns?: number; write(text: string): boolean };
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
    // The same text on the terminal and in analysis.txt, laid out for the terminal's width (120 columns off a terminal).
    const width = summaryWidth(streams.stderr.isTTY ? streams.stderr.columns : undefined);
    const textPath = join(config.outDir, ANALYSIS_TEXT_FILE);
    const text = warningLines(result.summary.warnings, width) + terminalSummary(result, [...written, textPath], width);
    writeAnalysisText(textPath, text);
    streams.stderr.write(text);
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

const MAX_WARNINGS = 5;

/** Warnings first, each wrapped; past five, a count (summary.json and report.html list them all). */
function warningLines(warnings: readonly string[], width: number): string {
  const lines = warnings.slice(0, MAX_WARNINGS).flatMap((w) => wrap(w, width, 9, 'warning: '));
  if (warnings.length > MAX_WARNINGS) lines.push(`warning: … ${warnings.length - MAX_WARNINGS} more in summary.json and report.html ("Warnings")`);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
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
