// Typed builders for Grafana dashboard JSON (schemaVersion 39) with CloudWatch queries.
// Dashboards pick their data source from the `datasource` variable, so the JSON imports
// into any Grafana; the CDKTF app provisions a CloudWatch data source with DATASOURCE_UID.
// Variables use the `$name` form, never `${name}`: Terraform would read the latter as an
// interpolation, and cdktf's HCL output does not escape it.

export const DATASOURCE_UID = 'opensaves-cloudwatch';
const DATASOURCE_REF = { type: 'cloudwatch', uid: '$datasource' } as const;

export interface CloudWatchTarget {
  readonly refId: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: string;
  readonly label?: string;
  // false: also match series with more dimensions than listed (a search); the default
  // is exact unless a dimension is the "*" wildcard.
  readonly matchExact?: boolean;
}

export interface PanelSpec {
  readonly title: string;
  readonly targets: readonly CloudWatchTarget[];
  readonly unit?: string;
  readonly sloLines?: readonly number[];
  readonly stacked?: boolean;
  readonly width?: number;
}

export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly schemaVersion: number;
  readonly time: { readonly from: string; readonly to: string };
  readonly refresh: string;
  readonly templating: { readonly list: readonly Record<string, unknown>[] };
  readonly panels: readonly Record<string, unknown>[];
}

export const cwTarget = (target: CloudWatchTarget): CloudWatchTarget => target;

function renderTarget(target: CloudWatchTarget): Record<string, unknown> {
  return {
    refId: target.refId,
    datasource: DATASOURCE_REF,
    queryMode: 'Metrics',
    metricQueryType: 0,
    metricEditorMode: 0,
    region: '$region',
    namespace: target.namespace,
    metricName: target.metricName,
    dimensions: target.dimensions,
    statistic: target.statistic,
    // Wildcard dimensions ("*") become a SEARCH with one series per value.
    matchExact: target.matchExact ?? !Object.values(target.dimensions).includes('*'),
    period: '',
    id: '',
    expression: '',
    label: target.label ?? '',
  };
}

function thresholds(lines: readonly number[] | undefined): Record<string, unknown> {
  const steps: Record<string, unknown>[] = [{ color: 'green', value: null }];
  (lines ?? []).forEach((value, index) => steps.push({ color: index === 0 ? 'orange' : 'red', value }));
  return { mode: 'absolute', steps };
}

export function grafanaDashboard(uid: string, title: string, panels: readonly PanelSpec[], variables: readonly Record<string, unknown>[]): GrafanaDashboard {
  let x = 0;
  let y = 0;
  const rendered = panels.map((panel, index) => {
    const width = panel.width ?? 12;
    if (x + width > 24) {
      x = 0;
      y += 8;
    }
    const gridPos = { x, y, w: width, h: 8 };
    x += width;
    return {
      id: index + 1,
      type: 'timeseries',
      title: panel.title,
      datasource: DATASOURCE_REF,
      gridPos,
      fieldConfig: {
        defaults: {
          unit: panel.unit ?? 'short',
          thresholds: thresholds(panel.sloLines),
          custom: {
            // SLO lines drawn as dashed thresholds, the Grafana counterpart of CloudWatch annotations.
            thresholdsStyle: { mode: panel.sloLines && panel.sloLines.length > 0 ? 'dashed' : 'off' },
            stacking: { mode: panel.stacked ? 'normal' : 'none', group: 'A' },
          },
        },
        overrides: [],
      },
      options: { legend: { displayMode: 'table', placement: 'bottom', calcs: ['mean', 'max'] }, tooltip: { mode: 'multi' } },
      targets: panel.targets.map(renderTarget),
    };
  });
  return {
    uid,
    title,
    tags: ['opensaves', 'load-test'],
    schemaVersion: 39,
    time: { from: 'now-3h', to: 'now' },
    refresh: '1m',
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'CloudWatch',
          type: 'datasource',
          query: 'cloudwatch',
          current: { text: DATASOURCE_UID, value: DATASOURCE_UID },
        },
        { name: 'region', label: 'Region', type: 'custom', query: 'default', current: { text: 'default', value: 'default' } },
        ...variables,
      ],
    },
    panels: rendered,
  };
}

export function textVariable(name: string, label: string, value: string): Record<string, unknown> {
  return { name, label, type: 'textbox', query: value, current: { text: value, value } };
}
