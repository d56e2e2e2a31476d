// report.html: one self-contained file (inline CSS, Chart.js and data; no network), with the same sections as
// report.md and interactive versions of the PNG charts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AnalysisResult } from '../analyze.js';
import { gridColumns, type ChartPanel, type ChartSpec } from '../charts/chart-spec.js';
import { thresholdsPass } from '../verdicts/thresholds.js';
import { reportSections, type Section, type Table } from './sections.js';

let chartJsSource: string | null = null;

/** Chart.js's UMD bundle, inlined so the report opens offline. */
function chartJs(): string {
  if (chartJsSource === null) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    chartJsSource = readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8');
  }
  return chartJsSource;
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON inside <script>: `<` escaped so no string can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

// Numbers, percentages, durations, money and arrows of numbers are right-aligned; text stays left.
const NUMERIC_CELL = /^([-+]?[\d,.]+( ?(%|ms|s|USD))?( → [-+]?[\d,.]+( ?(%|ms|s|USD))?)?|–|<0\.0001)$/;

function verdictClass(cell: string): string {
  return cell.startsWith('PASS') ? 'pass' : cell.startsWith('FAIL') ? 'fail' : '';
}

function renderTable(table: Table): string {
  const head = table.headers.map((h) => `<th>${html(h)}</th>`).join('');
  const rows = table.rows
    .map((row) => {
      const cells = row.map((cell, i) => {
        const cls = i === table.verdictColumn ? verdictClass(cell) : NUMERIC_CELL.test(cell) ? 'num' : '';
        return `<td${cls ? ` class="${cls}"` : ''}>${html(cell)}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

function renderSection(section: Section): string {
  return [
    `<section id="${html(section.id)}"><h2>${html(section.title)}</h2>`,
    ...section.paragraphs.map((p) => `<p>${html(p)}</p>`),
    ...section.tables.map(renderTable),
    '</section>',
  ].join('\n');
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0; color: #1b1f24; background: #f6f7f9; }
header { background: #1b2a41; color: #fff; padding: 16px 32px; }
header h1 { margin: 0 0 8px; font-size: 22px; }
.badge { display: inline-block; padding: 3px 10px; border-radius: 12px; font-weight: 600; margin-right: 8px; font-size: 13px; }
.badge.pass { background: #2e7d32; } .badge.fail { background: #c62828; }
nav { padding: 8px 32px; background: #fff; border-bottom: 1px solid #dde1e6; position: sticky; top: 0; }
nav a { margin-right: 16px; color: #1f5fa8; text-decoration: none; font-size: 14px; }
main { padding: 8px 32px 48px; max-width: 1500px; }
section { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 4px 20px 16px; margin: 16px 0; }
h2 { font-size: 18px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border-bottom: 1px solid #e4e7eb; padding: 5px 10px; text-align: left; white-space: nowrap; }
th { background: #eef1f4; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.pass { color: #2e7d32; font-weight: 600; } td.fail { color: #c62828; font-weight: 600; white-space: normal; }
.charts { display: grid; grid-template-columns: 1fr; gap: 24px; }
.chart { position: relative; height: 520px; }
figure.chart-group { margin: 0; }
figure.chart-group figcaption { font-weight: 600; font-size: 16px; text-align: center; margin-bottom: 8px; }
.panels { display: grid; grid-template-columns: repeat(var(--columns), minmax(0, 1fr)); gap: 12px; }
.panels .chart { height: 380px; }
@media (max-width: 1000px) { .panels { grid-template-columns: 1fr; } }
`;

/** A chart that is not split (its one panel carries the chart's id) keeps the canvas id chart-<chart>; a panel is chart-<chart>-<panel>. */
function panelCanvasId(spec: ChartSpec, panel: ChartPanel): string {
  return panel.id === spec.id ? `chart-${spec.id}` : `chart-${spec.id}-${panel.id}`;
}

function renderChart(spec: ChartSpec): string {
  const canvas = (panel: ChartPanel): string =>
    `<div class="chart"><canvas id="${html(panelCanvasId(spec, panel))}" role="img" aria-label="${html(panel.title)}"></canvas></div>`;
  const [only] = spec.panels;
  if (spec.panels.length === 1 && only !== undefined && only.id === spec.id) return canvas(only);
  // The same grid as the PNG, so the two read alike.
  return [
    `<figure class="chart-group" id="chart-group-${html(spec.id)}"><figcaption>${html(spec.title)}</figcaption>`,
    `<div class="panels" style="--columns: ${gridColumns(spec.panels.length)}">`,
    ...spec.panels.map(canvas),
    '</div></figure>',
  ].join('\n');
}

// panelCanvasId again, in the page's JavaScript.
const CHART_BOOT = `
const panelCanvasId = (spec, panel) => (panel.id === spec.id ? 'chart-' + spec.id : 'chart-' + spec.id + '-' + panel.id);
const specs = JSON.parse(document.getElementById('chart-specs').textContent);
for (const spec of specs) {
  for (const panel of spec.panels) {
    const canvas = document.getElementById(panelCanvasId(spec, panel));
    const options = Object.assign({}, panel.config.options, { responsive: true, maintainAspectRatio: false, animation: false });
    new Chart(canvas, Object.assign({}, panel.config, { options }));
  }
}
`;

export function renderHtml(result: AnalysisResult, charts: readonly ChartSpec[]): string {
  const s = result.summary;
  const sections = reportSections(result);
  const badges = [
    `<span class="badge ${s.slo.pass ? 'pass' : 'fail'}">SLO ${s.slo.pass ? 'PASS' : 'FAIL'}</span>`,
    s.thresholds.length > 0
      ? `<span class="badge ${thresholdsPass(s.thresholds) ? 'pass' : 'fail'}">k6 thresholds ${thresholdsPass(s.thresholds) ? 'PASS' : 'FAIL'}</span>`
      : '',
    s.comparison ? `<span class="badge ${s.comparison.pass ? 'pass' : 'fail'}">vs baseline ${s.comparison.pass ? 'PASS' : 'FAIL'}</span>` : '',
  ].join('');
  const nav = [...sections.map((sec) => `<a href="#${html(sec.id)}">${html(sec.title)}</a>`), '<a href="#charts">Charts</a>'].join('');
  const chartBlocks = charts.map(renderChart).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Open Saves load test report</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>Open Saves load test report</h1>${badges}<span>${html(s.startTime ?? '')} · ${s.durationSec.toFixed(0)} s · ${s.totals.requests.toLocaleString('en-US')} requests</span></header>
<nav>${nav}</nav>
<main>
${sections.map(renderSection).join('\n')}
<section id="charts"><h2>Charts</h2><div class="charts">
${chartBlocks}
</div></section>
</main>
<script>${chartJs()}</script>
<script type="application/json" id="chart-specs">${scriptJson(charts)}</script>
<script>${CHART_BOOT}</script>
</body>
</html>
`;
}
