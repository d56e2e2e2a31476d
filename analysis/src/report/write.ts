// Writes the selected report formats into the output directory and returns the paths written.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { AnalysisResult } from '../analyze.js';
import { reportCharts } from '../charts/index.js';
import type { ReportFormat } from '../config/constants.js';
import { ConfigError } from '../config/errors.js';
import { renderHtml, type ReportLinks } from './html.js';
import { renderSummaryJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

export async function writeReports(result: AnalysisResult, outDir: string, formats: ReadonlySet<ReportFormat>): Promise<string[]> {
  // Both files are called summary.json: writing ours beside the k6 output would destroy the scenario's.
  const scenarioSummary = result.summary.scenario?.summaryPath;
  if (formats.has('json') && scenarioSummary !== undefined && resolve(outDir, 'summary.json') === resolve(scenarioSummary)) {
    throw new ConfigError(`invalid --out-dir; reason: expected a directory other than the one holding the k6 summary ${scenarioSummary}, got \`${outDir}\``);
  }
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    throw new ConfigError(`cannot create --out-dir ${outDir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const written: string[] = [];
  const write = (name: string, content: string | Buffer): void => {
    const path = join(outDir, name);
    writeFileSync(path, content);
    written.push(path);
  };
  const charts = reportCharts(result);
  const pngCharts = formats.has('png') ? charts : [];
  if (formats.has('json')) write('summary.json', renderSummaryJson(result.summary));
  if (formats.has('md')) write('report.md', renderMarkdown(result, pngCharts));
  if (formats.has('html')) write('report.html', renderHtml(result, charts, reportLinks(result, outDir)));
  if (formats.has('junit')) write('junit.xml', renderJunit(result));
  if (pngCharts.length > 0) {
    // The canvas and Chart.js take a quarter of a second to load: only a report with PNG charts pays for them.
    const { renderChartPng } = await import('../charts/render-png.js');
    for (const chart of pngCharts) write(`${chart.id}.png`, renderChartPng(chart));
  }
  return written;
}

/** k6's web dashboard export beside the (first local) k6 output that has one, as `make demo` leaves it. */
export const DASHBOARD_EXPORT_FILE = 'k6-dashboard.html';

function reportLinks(result: AnalysisResult, outDir: string): ReportLinks {
  for (const input of result.summary.inputs) {
    if (input.path === '-' || /^[a-z][a-z0-9+.-]*:\/\//i.test(input.path)) continue;
    const dashboard = join(dirname(input.path), DASHBOARD_EXPORT_FILE);
    // A relative link, so the folder can be moved or shared as a whole.
    if (existsSync(dashboard)) return { dashboard: relative(resolve(outDir), resolve(dashboard)).split(sep).join('/') };
  }
  return {};
}

/** The printed summary, kept beside the report (analysis.txt). */
export const ANALYSIS_TEXT_FILE = 'analysis.txt';

export function writeAnalysisText(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new ConfigError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
