// The report's one overview chart, under the verdict: offered and achieved rate, errors per second and the p95 of
// every request over time, the server utilisation of the components that broke (with server metrics), and a vertical
// line at the moment each of them saturated, so the knee, its cause and its effect read off one picture.
import type { ChartDataset } from 'chart.js';
import type { AnalysisResult } from '../analyze.js';
import { BucketHistogram } from '../aggregate/histogram.js';
import { RUNNERS_COMPONENT } from '../scaling/runners.js';
import { baseOptions, singleChart, type ChartSpec } from './chart-spec.js';

export const OVERVIEW_CHART_ID = 'overview';

/** Lines per panel at most, as every chart of the report. */
const MAX_SERIES = 8;
/** Components drawn (utilisation line and saturation mark): the first to saturate, or the nearest. */
const MAX_COMPONENTS = 2;
// Colours apart from the client lines' (Okabe-Ito): component marks in purple and wine.
const COMPONENT_COLOURS = ['#CC79A7', '#882255'];

type Point = { x: number; y: number | null };

export function overviewChart(result: AnalysisResult): ChartSpec {
  const { series } = result;
  // Minutes past ten minutes, so the axis keeps short numbers; the unit is in the axis title.
  const lastOffset = series.offsetsSec[series.offsetsSec.length - 1] ?? 0;
  const minutes = lastOffset > 600;
  const scale = minutes ? 60 : 1;
  const xOf = (offsetSec: number): number => round(offsetSec / scale);
  const firstStartMs = series.startsMs[0] ?? 0;
  const xOfTime = (timeMs: number): number => xOf((timeMs - firstStartMs) / 1000);
  const along = (values: readonly (number | null)[]): Point[] => values.map((y, i) => ({ x: xOf(series.offsetsSec[i]!), y: y === null ? null : round(y) }));

  const iterations = series.offeredIterationsPerSec.some((r) => r > 0);
  const datasets: ChartDataset<'line', Point[]>[] = [];
  if (iterations) {
    datasets.push(
      line('iterations/s offered (started + dropped)', along(series.offeredIterationsPerSec), '#000000', { borderDash: [6, 3] }),
      line('iterations/s achieved (started)', along(series.iterationsPerSec), '#0072B2'),
    );
  } else {
    datasets.push(line('requests/s achieved', along(series.requestsPerSec), '#0072B2'));
  }
  datasets.push(line('errors/s', along(series.errorsPerSec), '#D55E00', { fill: true, backgroundColor: 'rgba(213,94,0,0.2)' }));
  datasets.push(line('p95 latency, all operations (ms, right axis)', along(series.buckets.map(bucketP95)), '#E69F00', { yAxisID: 'latency', borderWidth: 2 }));

  const scaling = result.scaling;
  const components = drawnComponents(result);
  let utilisationAxis = false;
  components.forEach((component, i) => {
    const colour = COMPONENT_COLOURS[i % COMPONENT_COLOURS.length]!;
    const utilisation = scaling?.utilisation.find((u) => u.component === component);
    if (utilisation !== undefined && datasets.length < MAX_SERIES) {
      utilisationAxis = true;
      const points = [...utilisation.points].sort((a, b) => a.timeMs - b.timeMs).map((p) => ({ x: xOfTime(p.timeMs), y: round(p.y) }));
      datasets.push(line(`${component} utilisation (% of its saturation point, right axis)`, points, colour, { yAxisID: 'utilisation', borderDash: [2, 2], borderWidth: 1.5 }));
    }
    const saturated = scaling?.saturations.find((x) => x.component === component);
    if (saturated !== undefined && datasets.length < MAX_SERIES) {
      const x = xOfTime(saturated.timeMs);
      const at = minutes ? `${x} min` : `${Math.round(x)} s`;
      // A vertical line from the bottom to the top of the chart, on an axis of its own (0 to 1, hidden).
      // The runners do not saturate, they fall behind what they were to offer.
      const what = component === RUNNERS_COMPONENT ? 'fell behind' : 'saturated';
      datasets.push(line(`${component} ${what} (${at})`, [{ x, y: 0 }, { x, y: 1 }], colour, { yAxisID: 'mark', borderWidth: 3 }));
    }
  });

  // The workload's window, a bucket either side: setup() and a long teardown() would flatten the picture.
  const busy = series.offsetsSec.filter((_, i) => series.requestsPerSec[i]! > 0 || series.offeredIterationsPerSec[i]! > 0);
  // Rounded out to a tick (5 s, or a minute on the minutes axis) so the axis starts and ends on a round number.
  const tick = minutes ? 60 : lastOffset > 60 ? 5 : 1;
  const from = Math.max(0, Math.floor(((busy[0] ?? 0) - series.bucketSec) / tick) * tick);
  const to = Math.ceil(Math.min(lastOffset + series.bucketSec, (busy[busy.length - 1] ?? lastOffset) + 2 * series.bucketSec) / tick) * tick;
  const title = 'Load, errors and latency over the run' + (components.length > 0 ? ', and where it saturated' : '');
  const options = baseOptions(title, 'rate (per second)', `time since start (${minutes ? 'min' : 's'})`);
  options.scales = {
    x: { type: 'linear', min: xOf(from), max: xOf(to), title: { display: true, text: `time since start (${minutes ? 'min' : 's'})` } },
    y: { beginAtZero: true, position: 'left', title: { display: true, text: 'rate (per second)' } },
    latency: { axis: 'y', type: 'linear', beginAtZero: true, position: 'right', title: { display: true, text: 'p95 latency (ms)' }, grid: { drawOnChartArea: false } },
    ...(utilisationAxis
      ? { utilisation: { axis: 'y', type: 'linear', beginAtZero: true, suggestedMax: 100, position: 'right', title: { display: true, text: 'utilisation (%)' }, grid: { drawOnChartArea: false } } }
      : {}),
    mark: { axis: 'y', type: 'linear', position: 'right', display: false, min: 0, max: 1 },
  };
  options.plugins = { ...options.plugins, legend: { position: 'bottom', labels: { boxWidth: 18 } } };
  return singleChart(OVERVIEW_CHART_ID, title, { type: 'line', data: { datasets }, options });
}

function line(label: string, data: Point[], colour: string, extra: Partial<ChartDataset<'line', Point[]>> = {}): ChartDataset<'line', Point[]> {
  return { label, data, borderColor: colour, backgroundColor: colour, pointRadius: 0, borderWidth: 2, spanGaps: false, ...extra };
}

/** The components whose story the chart tells: those that saturated, earliest first, else the bottleneck (nearest). */
function drawnComponents(result: AnalysisResult): string[] {
  const scaling = result.scaling;
  if (scaling === null) return [];
  const saturated = scaling.saturations.map((x) => x.component);
  const names = saturated.length > 0 ? saturated : scaling.scaling.bottleneck === null ? [] : [scaling.scaling.bottleneck];
  return [...new Set(names)].slice(0, MAX_COMPONENTS);
}

/** The p95 of every request that ended in the bucket, all operations together. */
function bucketP95(bucket: AnalysisResult['series']['buckets'][number]): number | null {
  const all = new BucketHistogram();
  for (const cell of bucket.operations.values()) all.add(cell.latency);
  return all.percentileMs(95);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
