// Small multiples by operation class: up to 27 operations in one box cannot be told apart, so charts with a line per
// operation draw one panel per class of the catalogue, each with at most MAX_PANEL_SERIES lines.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { operationSeries } from '../../../catalogue/operations.js';
import { baseOptions, type ChartPanel } from './chart-spec.js';
import { seriesColour } from './palette.js';

/** Eight colours of the palette, so within a panel no two lines need dashes to be told apart. */
export const MAX_PANEL_SERIES = 8;

/** Above this max/min ratio of a panel's positive values, its y axis is logarithmic so the low lines stay visible. */
export const LOG_AXIS_SPREAD = 20;

const OTHERS_COLOUR = '#7f7f7f';

const CLASS_ORDER = ['records', 'blobs', 'atomic', 'stores', 'health', 'metadata'];

// HTTP ops carry the gRPC names they stand in for, so one map covers both protocols; the metadata routes add a class.
const CLASS_OF = new Map<string, string>();
const CATALOGUE_ORDER = new Map<string, number>();
for (const { op, group } of operationSeries(['grpc', 'http'])) if (!CLASS_OF.has(op)) CLASS_OF.set(op, group);
for (const op of CLASS_OF.keys()) CATALOGUE_ORDER.set(op, CATALOGUE_ORDER.size);

/** Operations not in the catalogue (a scenario's own tags) share an "other" panel. */
export function operationClass(op: string): string {
  return CLASS_OF.get(op) ?? 'other';
}

export interface OperationLine {
  op: string;
  data: (number | null)[];
  /** larger ranks first when a class has more lines than a panel holds */
  rank: number;
}

/** How the lines beyond the panel's first seven fold into one: the worst of them, their total or their mean. */
export type Fold = 'max' | 'sum' | 'mean';

function fold(lines: readonly OperationLine[], how: Fold): (number | null)[] {
  const length = Math.max(0, ...lines.map((line) => line.data.length));
  return Array.from({ length }, (_, i) => {
    const values = lines.map((line) => line.data[i]).filter((v): v is number => typeof v === 'number');
    if (values.length === 0) return null;
    if (how === 'max') return Math.max(...values);
    const sum = values.reduce((a, b) => a + b, 0);
    return how === 'sum' ? sum : sum / values.length;
  });
}

/** The lines of one class as drawn: all of them if they fit, else the top seven by rank and an "others" line. */
export function panelLines(lines: readonly OperationLine[], how: Fold): { label: string; data: (number | null)[]; folded?: true }[] {
  const ordered = [...lines].sort((a, b) => (CATALOGUE_ORDER.get(a.op) ?? Infinity) - (CATALOGUE_ORDER.get(b.op) ?? Infinity) || a.op.localeCompare(b.op));
  if (ordered.length <= MAX_PANEL_SERIES) return ordered.map((line) => ({ label: line.op, data: line.data }));
  const top = new Set([...lines].sort((a, b) => b.rank - a.rank).slice(0, MAX_PANEL_SERIES - 1));
  const rest = ordered.filter((line) => !top.has(line));
  return [
    ...ordered.filter((line) => top.has(line)).map((line) => ({ label: line.op, data: line.data })),
    { label: `others (${how} of ${rest.length})`, data: fold(rest, how), folded: true },
  ];
}

export function byClass(lines: readonly OperationLine[]): [string, OperationLine[]][] {
  const classes = new Map<string, OperationLine[]>();
  for (const line of lines) {
    const cls = operationClass(line.op);
    const members = classes.get(cls);
    if (members) members.push(line);
    else classes.set(cls, [line]);
  }
  const order = (cls: string): number => (CLASS_ORDER.includes(cls) ? CLASS_ORDER.indexOf(cls) : CLASS_ORDER.length);
  return [...classes].sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b));
}

/** True when a panel's positive values span more than LOG_AXIS_SPREAD. */
export function wideSpread(datasets: readonly { data: (number | null)[] }[]): boolean {
  const values = datasets.flatMap((d) => d.data).filter((v): v is number => typeof v === 'number' && v > 0);
  if (values.length === 0) return false;
  return Math.max(...values) / Math.min(...values) > LOG_AXIS_SPREAD;
}

export interface PanelOptions {
  /** e.g. "p95 latency": the panel's title is the class and this */
  what: string;
  /** a title for every panel instead of the class and `what` */
  panelTitle?: string;
  /** the y axis's quantity and unit, e.g. "p95 latency", "ms" */
  yQuantity: string;
  yUnit: string;
  xTitle: string;
  labels: string[];
  fold: Fold;
  /** false where a linear axis is the point, e.g. shares of requests that add up to 100 */
  logWhenWide?: boolean;
}

/** One line panel per operation class. */
export function classPanels(lines: readonly OperationLine[], options: PanelOptions): ChartPanel[] {
  return byClass(lines).map(([cls, members]) => {
    const drawn = panelLines(members, options.fold);
    const log = (options.logWhenWide ?? true) && wideSpread(drawn);
    const datasets: ChartDataset<'line'>[] = drawn.map((line, i) => ({
      label: line.label,
      // A log axis has no zero: a zero is left as a gap rather than drawn at the axis's floor.
      data: log ? line.data.map((v) => (v !== null && v > 0 ? v : null)) : line.data,
      // The folded line is grey and dashed, so it does not read as one operation.
      borderColor: line.folded ? OTHERS_COLOUR : seriesColour(i),
      backgroundColor: line.folded ? OTHERS_COLOUR : seriesColour(i),
      borderDash: line.folded ? [6, 3] : [],
      pointRadius: 0,
      borderWidth: 2,
      spanGaps: false,
    }));
    const title = options.panelTitle ?? `${cls}: ${options.what}`;
    const yTitle = `${options.yQuantity} (${options.yUnit}${log ? ', log scale' : ''})`;
    const chartOptions = baseOptions(title, yTitle, options.xTitle);
    // Panels are a third of a chart's width: smaller type, so eight legend entries fit in two or three rows.
    chartOptions.plugins = {
      title: { display: true, text: title, font: { size: 14 } },
      legend: { position: 'bottom', labels: { boxWidth: 14, font: { size: 11 } } },
    };
    if (log) chartOptions.scales = { ...chartOptions.scales, y: { type: 'logarithmic', title: { display: true, text: yTitle } } };
    const config: ChartConfiguration = { type: 'line', data: { labels: options.labels, datasets }, options: chartOptions };
    return { id: cls, title, config };
  });
}
