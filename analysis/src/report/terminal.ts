// The printed summary, short and aligned like k6's end-of-test summary: the verdict, the bottleneck and its action, the
// worst operations, what else failed and where the files are. Every line fits the width it is given; at most about
// 30 lines whatever the run.
import { basename, dirname } from 'node:path';
import type { AnalysisResult } from '../analyze.js';
import { formatCount, formatPercent, formatRate } from '../format.js';
import { buildAnswer, formatLatency, type Answer } from './answer.js';

/** The widest the text gets, even on a wider terminal: longer lines are hard to read. */
export const MAX_WIDTH = 200;
/** Width when the output is not a terminal (a file, a pipe, CI logs). */
export const DEFAULT_WIDTH = 120;
const MIN_WIDTH = 60;
const WORST_ROWS = 10;
const LABEL = 13;

/** The width to lay the summary out for: the terminal's when there is one, within 60 to 200 columns. */
export function summaryWidth(columns: number | undefined): number {
  return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, columns !== undefined && columns > 0 ? columns : DEFAULT_WIDTH));
}

/** Words wrapped to `width`, continuation lines indented by `indent`; a word longer than a line is cut. */
export function wrap(text: string, width: number, indent = 0, firstPrefix = ''): string[] {
  const lines: string[] = [];
  let line = firstPrefix;
  let lineStart = true;
  const pad = ' '.repeat(indent);
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let piece = word;
    while (piece.length > width - indent) {
      if (!lineStart) {
        lines.push(line);
        line = pad;
      }
      lines.push(line + piece.slice(0, width - line.length));
      piece = piece.slice(width - line.length);
      line = pad;
      lineStart = true;
    }
    if (!lineStart && line.length + 1 + piece.length > width) {
      lines.push(line);
      line = pad;
      lineStart = true;
    }
    line += (lineStart ? '' : ' ') + piece;
    lineStart = false;
  }
  if (!lineStart || lines.length === 0) lines.push(line);
  return lines;
}

/** A label in a fixed column, then the text wrapped under itself. */
function labelled(label: string, text: string, width: number): string[] {
  return wrap(text, width, LABEL, label.padEnd(LABEL));
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

export function terminalSummary(result: AnalysisResult, written: readonly string[], width: number): string {
  const answer = buildAnswer(result);
  const s = result.summary;
  const verdict = [
    ...labelled(answer.verdict.pass ? 'PASS' : 'FAIL', verdictText(answer), width),
    ...labelled('Load', loadText(answer, result), width),
    ...(answer.capacity?.broke ? labelled('Capacity', answer.capacity.broke, width) : []),
  ];

  const worstBlock: string[] = [];
  const worst = answer.worst.slice(0, WORST_ROWS);
  if (worst.length > 0) {
    worstBlock.push(...worstTable(worst, width));
    const more = s.slo.pass ? 0 : answer.worst.length - worst.length;
    if (more > 0) worstBlock.push(cut(`  … and ${more} more operation${more === 1 ? '' : 's'} over budget (report.html, "SLO verdicts")`, width));
  }

  const findingsBlock: string[] = [];
  const others = answer.findings.filter((f) => f.section !== 'slo');
  for (const finding of others.slice(0, 3)) findingsBlock.push(...wrap(`${finding.text}: ${finding.action}`, width, 4, '  - ').slice(0, 3));
  if (others.length > 3) findingsBlock.push(`  … ${others.length - 3} more findings in report.html`);

  const housekeeping = s.housekeeping;
  const phases = Object.entries(housekeeping.phases).map(([phase, p]) => `${phase} ${formatCount(p.requests)}`);
  const files = [
    ...(housekeeping.requests > 0
      ? labelled(
          'Housekeeping',
          `${formatCount(housekeeping.requests)} requests outside the workload, not counted above (${phases.join(', ')}), ${formatCount(housekeeping.errors)} errors`,
          width,
        )
      : []),
    ...filesLines(written, width),
  ];

  const blocks = [verdict, bottleneckLines(answer, width), worstBlock, findingsBlock, files].filter((block) => block.length > 0);
  return `${blocks.map((block) => block.join('\n')).join('\n\n')}\n`;
}

/** "SLO missed: 43 objectives failed on …; k6 thresholds: 42 of 83 failed"; a capacity run's headline is its last step. */
export function verdictText(answer: Answer): string {
  const { headline, details } = answer.verdict;
  if (details.length === 0) return headline;
  return answer.capacity === null ? `${headline}: ${details.join('; ')}` : `${headline}; over the whole run ${details.join('; ')}`;
}

/** "2,823 requests in 59 s · achieved 41.0 of 44.2 iterations/s offered (RATE 50) · p95 2.02 s · …" */
function loadText(answer: Answer, result: AnalysisResult): string {
  const s = result.summary;
  const seconds = s.totals.durationSec;
  const offered = s.iterations.count + s.droppedIterations;
  const figure = (label: string): string => answer.figures.find((f) => f.label === label)?.value ?? '–';
  const configured = typeof s.scenario?.config?.rate === 'number' ? ` (RATE ${formatCount(s.scenario.config.rate as number)})` : '';
  return [
    `${formatCount(s.totals.requests)} requests in ${seconds.toFixed(0)} s`,
    offered > 0 && seconds > 0 ? `achieved ${formatRate(s.iterations.count / seconds)} of ${formatRate(offered / seconds)} iterations/s offered${configured}` : `${formatRate(s.totals.rps)} requests/s`,
    `p95 ${figure('p95 latency')}`,
    `errors ${formatPercent(s.totals.errorRate)}`,
    offered > 0 ? `${formatCount(s.droppedIterations)} dropped iterations` : null,
  ]
    .filter((part): part is string => part !== null)
    .join(' · ');
}

function bottleneckLines(answer: Answer, width: number): string[] {
  const b = answer.bottleneck;
  if (b === null) return [];
  const lines: string[] = [];
  const name = b.saturated ? `${b.component} saturated first${b.when === null ? '' : `, ${b.when}`}` : `nothing saturated; nearest: ${b.component}`;
  const goal = Number.isInteger(b.goalRate) ? formatCount(b.goalRate) : formatRate(b.goalRate);
  lines.push(...labelled('Bottleneck', `${name} (sized for ${goal} ${b.unit}/s)`, width));
  lines.push(...labelled('Action', b.action === null ? `none needed for ${goal} ${b.unit}/s: ${b.detail}` : b.detail, width).slice(0, 4));
  for (const other of answer.otherActions.slice(0, 2)) lines.push(...labelled('Also', `${other.component}: ${other.action}`, width).slice(0, 2));
  if (answer.otherActions.length > 2) lines.push(' '.repeat(LABEL) + `… ${answer.otherActions.length - 2} more components to change (report.html, "Scaling recommendations")`);
  return lines.map((l) => cut(l, width));
}

function worstTable(rows: Answer['worst'], width: number): string[] {
  const failing = rows[0]?.missed !== 'met';
  const headers = [failing ? 'Worst operations' : 'Slowest operations', 'requests', 'errors', 'p95', 'p99', failing ? 'objective missed (worst)' : 'objectives'];
  const cells = rows.map((r) => [r.op, formatCount(r.count), formatPercent(r.errorRate), formatLatency(r.p95), formatLatency(r.p99), r.missed]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  // Numbers right-aligned under their headers, text left-aligned; the last column takes what is left of the line.
  const line = (cols: string[]): string =>
    cut(
      `  ${cols
        .map((c, i) => (i === 0 ? c.padEnd(widths[0]!) : i === cols.length - 1 ? c : c.padStart(widths[i]!)))
        .join('  ')}`.trimEnd(),
      width,
    );
  return [line(headers), ...cells.map(line)];
}

function filesLines(written: readonly string[], width: number): string[] {
  if (written.length === 0) return [];
  const dir = dirname(written[0]!);
  const html = written.find((p) => basename(p) === 'report.html');
  const pngs = written.filter((p) => p.endsWith('.png')).length;
  const rest = written.filter((p) => p !== html && !p.endsWith('.png')).map((p) => basename(p));
  const lines: string[] = [];
  if (html !== undefined) lines.push(...labelled('Report', `${html} (open it in a browser)`, width));
  const also = [...rest, ...(pngs > 0 ? [`${pngs} PNG chart${pngs === 1 ? '' : 's'}`] : [])];
  if (also.length > 0) lines.push(...labelled(html === undefined ? 'Wrote' : 'Also', `${also.join(', ')} in ${dir}/`, width));
  return lines;
}
