// report.html: one self-contained file (inline CSS, Chart.js and data; no network). Its first screen is the answer:
// the verdict band (verdict, bottleneck and its action, key figures), the overview chart and the ranked findings; the
// same sections as report.md follow, long tables and the arithmetic folded, then the interactive charts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AnalysisResult } from '../analyze.js';
import { gridColumns, type ChartPanel, type ChartSpec } from '../charts/chart-spec.js';
import { OVERVIEW_CHART_ID } from '../charts/overview.js';
import { formatCount, formatRate } from '../format.js';
import { buildAnswer, type Answer } from './answer.js';
import { reportSections, type Folded, type Section, type Table } from './sections.js';

/** Files the report links to, as paths relative to report.html. */
export interface ReportLinks {
  /** k6's web dashboard export of the run (k6-dashboard.html beside the k6 output), when there is one */
  dashboard?: string;
}

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
  const head = table.headers.map((h) => `<th${table.sortable ? ' tabindex="0" title="sort"' : ''}>${html(h)}</th>`).join('');
  const rows = table.rows
    .map((row) => {
      const cells = row.map((cell, i) => {
        const cls = i === table.verdictColumn ? verdictClass(cell) : NUMERIC_CELL.test(cell) ? 'num' : '';
        return `<td${cls ? ` class="${cls}"` : ''}>${html(cell)}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table${table.sortable ? ' class="sortable"' : ''}><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

function renderFolded(folded: Folded): string {
  return [`<details><summary>${html(folded.summary)}</summary>`, ...folded.paragraphs.map((p) => `<p>${html(p)}</p>`), ...folded.tables.map(renderTable), '</details>'].join('\n');
}

function renderSection(section: Section, ids: ReadonlySet<string>): string {
  const items =
    section.items === undefined || section.items.length === 0
      ? []
      : [
          '<ol class="findings">',
          ...section.items.map(
            (item, i, all) =>
              `<li><span class="seen">${html(item.text)}</span>` +
              // The same action as the line above is said once.
              (i > 0 && all[i - 1]!.action === item.action ? '<span class="do same">the same</span>' : `<span class="do">${html(item.action)}</span>`) +
              (item.section !== undefined && ids.has(item.section) ? ` <a href="#${html(item.section)}">details</a>` : '') +
              '</li>',
          ),
          '</ol>',
        ];
  return [
    `<section id="${html(section.id)}"><h2>${html(section.title)}</h2>`,
    ...items,
    ...(section.tablesFirst ? section.tables.map(renderTable) : []),
    ...section.paragraphs.map((p) => `<p>${html(p)}</p>`),
    ...(section.tablesFirst ? [] : section.tables.map(renderTable)),
    ...(section.folded ?? []).map(renderFolded),
    '</section>',
  ].join('\n');
}

/** The verdict band: verdict, the bottleneck and its action, and the key figures, all above the fold. */
function renderBand(answer: Answer): string {
  const { verdict, bottleneck } = answer;
  const status = verdict.pass ? 'pass' : 'fail';
  // A capacity run's headline is its last step; the whole run's verdict, which mixes the steps, comes second.
  const detailText = `${answer.capacity === null ? '' : 'Over the whole run: '}${verdict.details.join(' · ')}`;
  const details = verdict.details.length === 0 ? '' : `<span class="details">${html(detailText)}</span>`;
  const capacity = answer.capacity?.broke ? `<div class="capacity">${html(sentenceCase(answer.capacity.broke))}</div>` : '';
  let cause: string;
  if (bottleneck === null) {
    cause =
      '<div class="label">Bottleneck</div><div id="bottleneck-name" class="name unknown">not known without server metrics</div>' +
      '<div id="bottleneck-action" class="action">Run the analysis again with <code>--server-metrics URL</code> (the local emulator with <code>--model</code>) ' +
      'or <code>--cloudwatch --infra-env FILE</code> (a deployment): it then names the component that saturated first and what to change for the goal rate.</div>';
  } else {
    const goal = `${Number.isInteger(bottleneck.goalRate) ? formatCount(bottleneck.goalRate) : formatRate(bottleneck.goalRate)} ${bottleneck.unit}/s`;
    const when = bottleneck.saturated ? `saturated first${bottleneck.when === null ? '' : `, ${bottleneck.when}`}` : 'nothing saturated; this is the nearest';
    const detail = bottleneck.action !== null && bottleneck.detail.startsWith(bottleneck.action) ? bottleneck.detail.slice(bottleneck.action.length) : null;
    const action =
      bottleneck.action === null
        ? `<span class="lever">Nothing to change for ${html(goal)}.</span> ${html(bottleneck.detail)}`
        : `<span class="lever">${html(bottleneck.action)}</span>${html(detail ?? `. ${bottleneck.detail}`)}`;
    const also = answer.otherActions
      .slice(0, 2)
      .map((o) => `<div class="also">Also for ${html(goal)}: <strong>${html(o.component)}</strong>: ${html(o.action)}</div>`)
      .join('');
    cause =
      `<div class="label">Bottleneck</div><div class="name"><span id="bottleneck-name">${html(bottleneck.component)}</span> <span class="when">${html(when)} · sized for ${html(goal)}</span></div>` +
      `<div class="label">Action</div><div id="bottleneck-action" class="action">${action}</div>${also}` +
      '<a class="more" href="#scaling">Every component, the figures and the arithmetic</a>';
  }
  const figures = answer.figures
    .map(
      (f) =>
        `<div class="figure${f.bad ? ' bad' : ''}"><div class="value">${html(f.value)}</div><div class="flabel">${html(f.label)}</div>` +
        (f.note ? `<div class="note">${html(f.note)}</div>` : '') +
        '</div>',
    )
    .join('');
  return [
    `<section id="verdict" class="band ${status}">`,
    `<div class="verdict-line"><span class="verdict-badge ${status}">${verdict.pass ? 'PASS' : 'FAIL'}</span> <strong id="verdict-headline">${html(sentenceCase(verdict.headline))}</strong>${details}</div>`,
    capacity,
    `<div class="band-grid"><div class="cause">${cause}</div><div class="figures">${figures}</div></div>`,
    '</section>',
  ].join('\n');
}

/** A capital first letter, except for a name that has none (k6). */
function sentenceCase(text: string): string {
  return text.startsWith('k6') ? text : text.charAt(0).toUpperCase() + text.slice(1);
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0; color: #1b1f24; background: #f6f7f9; }
header { background: #1b2a41; color: #fff; padding: 8px 32px; display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
header h1 { margin: 0; font-size: 18px; }
header .meta { font-size: 13px; color: #c9d3e0; }
header .links { margin-left: auto; font-size: 13px; }
header .links a { color: #9cc7ff; margin-left: 14px; }
nav { padding: 6px 32px; background: #fff; border-bottom: 1px solid #dde1e6; position: sticky; top: 0; z-index: 2; font-size: 13px; }
nav a { margin-right: 14px; color: #1f5fa8; text-decoration: none; white-space: nowrap; }
main { padding: 4px 32px 48px; max-width: 1500px; }
section { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 4px 20px 12px; margin: 12px 0; }
h2 { font-size: 18px; }
.band { padding: 12px 20px; border-left: 6px solid; }
.band.fail { border-left-color: #c62828; } .band.pass { border-left-color: #2e7d32; }
.verdict-line { font-size: 20px; }
.verdict-line .details { display: block; font-size: 14px; color: #4a5563; margin-top: 2px; }
.verdict-badge { display: inline-block; padding: 2px 10px; border-radius: 4px; color: #fff; font-weight: 700; font-size: 16px; margin-right: 6px; vertical-align: 2px; }
.verdict-badge.fail { background: #c62828; } .verdict-badge.pass { background: #2e7d32; }
.capacity { font-size: 14px; margin-top: 4px; }
.band-grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 20px; margin-top: 10px; }
.cause .label { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6573; margin-top: 6px; }
.cause .name { font-size: 18px; font-weight: 700; }
.cause .name .when { font-size: 14px; font-weight: 400; color: #4a5563; }
.cause .name.unknown { color: #8a5a00; }
.cause .action { font-size: 15px; line-height: 1.4; }
.cause .action .lever { font-weight: 700; background: #fff4d6; }
.cause .also { font-size: 13px; margin-top: 4px; color: #333; }
.cause .more { display: inline-block; font-size: 13px; margin-top: 6px; color: #1f5fa8; }
.figures { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 8px; align-content: start; }
.figure { border: 1px solid #e1e5ea; border-radius: 6px; padding: 6px 10px; }
.figure .value { font-size: 20px; font-weight: 700; font-variant-numeric: tabular-nums; }
.figure.bad .value { color: #c62828; }
.figure .flabel { font-size: 12px; color: #3d4652; }
.figure .note { font-size: 11px; color: #6b7480; }
code { background: #eef1f4; padding: 0 3px; border-radius: 3px; white-space: nowrap; }
ol.findings { margin: 4px 0 8px; padding-left: 22px; }
ol.findings li { margin: 3px 0; line-height: 1.4; }
ol.findings .do { color: #1b5e20; }
ol.findings .do::before { content: " → "; color: #5b6573; }
ol.findings .do.same { color: #6b7480; }
details { margin: 8px 0; }
details > summary { cursor: pointer; color: #1f5fa8; font-size: 14px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border-bottom: 1px solid #e4e7eb; padding: 5px 10px; text-align: left; white-space: nowrap; }
th { background: #eef1f4; position: sticky; top: 0; }
table.sortable th { cursor: pointer; }
table.sortable th[aria-sort="ascending"]::after { content: " ▲"; } table.sortable th[aria-sort="descending"]::after { content: " ▼"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.pass { color: #2e7d32; font-weight: 600; } td.fail { color: #c62828; font-weight: 600; white-space: normal; }
#scaling td:last-child { white-space: normal; min-width: 320px; }
.overview { padding: 8px 12px; }
.overview .chart { height: 340px; }
.charts { display: grid; grid-template-columns: 1fr; gap: 24px; }
.chart { position: relative; height: 520px; }
figure.chart-group { margin: 0; }
figure.chart-group figcaption { font-weight: 600; font-size: 16px; text-align: center; margin-bottom: 8px; }
.panels { display: grid; grid-template-columns: repeat(var(--columns), minmax(0, 1fr)); gap: 12px; }
.panels .chart { height: 380px; }
@media (max-width: 1000px) { .panels, .band-grid { grid-template-columns: 1fr; } }
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

// panelCanvasId again, in the page's JavaScript; then the sortable tables (numbers by value, "–" last).
const PAGE_SCRIPT = `
const panelCanvasId = (spec, panel) => (panel.id === spec.id ? 'chart-' + spec.id : 'chart-' + spec.id + '-' + panel.id);
const specs = JSON.parse(document.getElementById('chart-specs').textContent);
for (const spec of specs) {
  for (const panel of spec.panels) {
    const canvas = document.getElementById(panelCanvasId(spec, panel));
    const options = Object.assign({}, panel.config.options, { responsive: true, maintainAspectRatio: false, animation: false });
    new Chart(canvas, Object.assign({}, panel.config, { options }));
  }
}
const sortKey = (text) => {
  const t = text.trim();
  if (t === '–' || t === '') return null;
  const n = Number(t.replace(/,/g, '').replace(/ ?(%|ms|s|USD)$/, ''));
  return Number.isFinite(n) ? n : t.toLowerCase();
};
for (const table of document.querySelectorAll('table.sortable')) {
  table.querySelectorAll('th').forEach((th, column) => {
    const sort = () => {
      const descending = th.getAttribute('aria-sort') !== 'descending';
      table.querySelectorAll('th').forEach((other) => other.removeAttribute('aria-sort'));
      th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      const body = table.tBodies[0];
      const rows = Array.from(body.rows).map((row) => [sortKey(row.cells[column].textContent), row]);
      rows.sort(([a], [b]) => {
        if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
        const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
        return descending ? -order : order;
      });
      for (const [, row] of rows) body.appendChild(row);
    };
    th.addEventListener('click', sort);
    th.addEventListener('keydown', (event) => { if (event.key === 'Enter') sort(); });
  });
}
`;

export function renderHtml(result: AnalysisResult, charts: readonly ChartSpec[], links: ReportLinks = {}): string {
  const s = result.summary;
  const answer = buildAnswer(result);
  const sections = reportSections(result);
  const ids = new Set(sections.map((section) => section.id));
  const overview = charts.find((c) => c.id === OVERVIEW_CHART_ID);
  const others = charts.filter((c) => c.id !== OVERVIEW_CHART_ID);
  const nav = [...sections.map((sec) => `<a href="#${html(sec.id)}">${html(sec.title)}</a>`), others.length > 0 ? '<a href="#charts">Charts</a>' : ''].join('');
  const meta = [
    s.scenario?.name ?? null,
    s.startTime === null ? null : `${s.startTime.slice(0, 19).replace('T', ' ')} UTC`,
    `${s.totals.durationSec.toFixed(0)} s of load`,
    s.inputs.length === 1 ? s.inputs[0]!.path : `${s.inputs.length} inputs`,
  ]
    .filter((part): part is string => part !== null)
    .join(' · ');
  const headerLinks = links.dashboard === undefined ? '' : `<span class="links"><a href="${html(links.dashboard)}">k6 dashboard of the run</a></span>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Open Saves load test report</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>Open Saves load test report</h1><span class="meta">${html(meta)}</span>${headerLinks}</header>
<nav>${nav}</nav>
<main>
${renderBand(answer)}
${overview === undefined ? '' : `<section id="overview-chart" class="overview">${renderChart(overview)}</section>`}
${sections.map((section) => renderSection(section, ids)).join('\n')}
${others.length === 0 ? '' : `<section id="charts"><h2>Charts</h2><div class="charts">\n${others.map(renderChart).join('\n')}\n</div></section>`}
</main>
<script>${chartJs()}</script>
<script type="application/json" id="chart-specs">${scriptJson(charts)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
