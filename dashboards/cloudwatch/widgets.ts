// Typed builders for CloudWatch dashboard bodies
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
// Dashboards are composed from these values and serialized once, never written as strings.

export interface SeriesOptions {
  readonly label?: string;
  readonly stat?: string;
  readonly id?: string;
  readonly visible?: boolean;
  readonly yAxis?: 'left' | 'right';
  readonly color?: string;
  readonly period?: number;
}

export interface MetricSeries {
  readonly kind: 'metric';
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly options: SeriesOptions;
}

// A metric math expression, a SEARCH() or a Metrics Insights query.
export interface ExpressionSeries {
  readonly kind: 'expression';
  readonly expression: string;
  readonly options: SeriesOptions & { readonly id: string };
}

export type Series = MetricSeries | ExpressionSeries;

export function metric(
  namespace: string,
  metricName: string,
  dimensions: Readonly<Record<string, string>>,
  options: SeriesOptions = {},
): MetricSeries {
  return { kind: 'metric', namespace, metricName, dimensions, options };
}

export function expression(id: string, expr: string, options: SeriesOptions = {}): ExpressionSeries {
  return { kind: 'expression', expression: expr, options: { ...options, id } };
}

export interface HorizontalAnnotation {
  readonly label: string;
  readonly value: number;
  readonly color?: string;
  readonly fill?: 'above' | 'below';
  readonly yAxis?: 'left' | 'right';
}

// An SLO or limit drawn across a graph.
export function sloLine(label: string, value: number, color = '#d62728'): HorizontalAnnotation {
  return { label, value, color, fill: 'above' };
}

export interface GraphProps {
  readonly title: string;
  readonly series: readonly Series[];
  readonly region: string;
  readonly stat?: string;
  readonly period?: number;
  readonly view?: 'timeSeries' | 'singleValue' | 'bar' | 'pie';
  readonly stacked?: boolean;
  readonly annotations?: readonly HorizontalAnnotation[];
  readonly yAxisLabel?: string;
  readonly yMin?: number;
  readonly width?: number;
  readonly height?: number;
}

export interface TextProps {
  readonly markdown: string;
  readonly width?: number;
  readonly height?: number;
}

export type WidgetSpec =
  | ({ readonly type: 'metric' } & GraphProps)
  | ({ readonly type: 'text' } & TextProps);

export const graph = (props: GraphProps): WidgetSpec => ({ type: 'metric', ...props });
export const text = (props: TextProps): WidgetSpec => ({ type: 'text', ...props });

// The JSON shapes CloudWatch reads.
export type RenderedSeries = Array<string | Record<string, unknown>>;

export interface RenderedWidget {
  readonly type: 'metric' | 'text';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

export interface DashboardBody {
  readonly start: string;
  readonly periodOverride: 'auto' | 'inherit';
  readonly widgets: readonly RenderedWidget[];
}

export const GRID_COLUMNS = 24;
const DEFAULT_WIDTH = 12;
const DEFAULT_HEIGHT = 6;

function compact<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function renderSeries(series: Series): RenderedSeries {
  if (series.kind === 'expression') {
    return [{ expression: series.expression, ...compact(series.options) }];
  }
  const row: RenderedSeries = [series.namespace, series.metricName];
  for (const [name, value] of Object.entries(series.dimensions)) row.push(name, value);
  const options = compact(series.options);
  if (Object.keys(options).length > 0) row.push(options);
  return row;
}

function renderProperties(spec: WidgetSpec): Record<string, unknown> {
  if (spec.type === 'text') return { markdown: spec.markdown };
  return compact({
    title: spec.title,
    region: spec.region,
    view: spec.view ?? 'timeSeries',
    stacked: spec.stacked ?? false,
    stat: spec.stat,
    period: spec.period ?? 60,
    metrics: spec.series.map(renderSeries),
    annotations: spec.annotations && spec.annotations.length > 0 ? { horizontal: spec.annotations.map((a) => compact(a)) } : undefined,
    yAxis:
      spec.yAxisLabel !== undefined || spec.yMin !== undefined
        ? { left: compact({ label: spec.yAxisLabel, min: spec.yMin, showUnits: false }) }
        : undefined,
  });
}

// Lays the widgets out left to right in rows of GRID_COLUMNS; a widget that does not fit
// starts the next row, below the tallest widget of the current one.
export function dashboard(widgets: readonly WidgetSpec[], start = '-PT3H'): DashboardBody {
  const rendered: RenderedWidget[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const spec of widgets) {
    const width = Math.min(spec.width ?? DEFAULT_WIDTH, GRID_COLUMNS);
    const height = spec.height ?? (spec.type === 'text' ? 2 : DEFAULT_HEIGHT);
    if (x + width > GRID_COLUMNS) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    rendered.push({ type: spec.type, x, y, width, height, properties: renderProperties(spec) });
    x += width;
    rowHeight = Math.max(rowHeight, height);
  }
  return { start, periodOverride: 'inherit', widgets: rendered };
}
