// Grafana dashboard JSON with CloudWatch queries, built with Grafana's foundation SDK so the
// model follows Grafana's own schema rather than a hand-kept copy of it.
// Dashboards pick their data source from the `datasource` variable, so the JSON imports
// into any Grafana; the CDKTF app provisions a CloudWatch data source with DATASOURCE_UID.
// Variables use the `$name` form, never `${name}`: Terraform would read the latter as an
// interpolation, and cdktf's HCL output does not escape it.
import * as cloudwatch from '@grafana/grafana-foundation-sdk/cloudwatch';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

export const DATASOURCE_UID = 'opensaves-cloudwatch';
const DATASOURCE_REF = { type: 'cloudwatch', uid: '$datasource' } as const;
const PANEL_HEIGHT = 8;

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

export type GrafanaDashboard = dashboard.Dashboard;
export type GrafanaVariable = cog.Builder<dashboard.VariableModel>;

export const cwTarget = (target: CloudWatchTarget): CloudWatchTarget => target;

function metricsQuery(target: CloudWatchTarget): cloudwatch.MetricsQueryBuilder {
  return (
    new cloudwatch.MetricsQueryBuilder()
      .refId(target.refId)
      .datasource(DATASOURCE_REF)
      .queryMode(cloudwatch.QueryMode.Metrics)
      .metricQueryType(cloudwatch.MetricQueryType.Search)
      .metricEditorMode(cloudwatch.MetricEditorMode.Builder)
      .region('$region')
      .namespace(target.namespace)
      .metricName(target.metricName)
      .dimensions({ ...target.dimensions })
      .statistic(target.statistic)
      // Wildcard dimensions ("*") become a SEARCH with one series per value.
      .matchExact(target.matchExact ?? !Object.values(target.dimensions).includes('*'))
      .period('')
      .id('')
      .expression('')
      .label(target.label ?? '')
  );
}

function thresholds(lines: readonly number[] | undefined): dashboard.ThresholdsConfigBuilder {
  const steps: dashboard.Threshold[] = [{ color: 'green', value: null }];
  (lines ?? []).forEach((value, index) => steps.push({ color: index === 0 ? 'orange' : 'red', value }));
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
}

function timeseriesPanel(panel: PanelSpec, id: number): timeseries.PanelBuilder {
  const hasSlo = (panel.sloLines ?? []).length > 0;
  return (
    new timeseries.PanelBuilder()
      .id(id)
      .title(panel.title)
      .datasource(DATASOURCE_REF)
      .span(panel.width ?? 12)
      .height(PANEL_HEIGHT)
      .unit(panel.unit ?? 'short')
      .thresholds(thresholds(panel.sloLines))
      // SLO lines drawn as dashed thresholds, the Grafana counterpart of CloudWatch annotations.
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(hasSlo ? common.GraphThresholdsStyleMode.Dashed : common.GraphThresholdsStyleMode.Off))
      .stacking(new common.StackingConfigBuilder().mode(panel.stacked ? common.StackingMode.Normal : common.StackingMode.None).group('A'))
      .legend(
        new common.VizLegendOptionsBuilder()
          .showLegend(true)
          .displayMode(common.LegendDisplayMode.Table)
          .placement(common.LegendPlacement.Bottom)
          .calcs(['mean', 'max']),
      )
      .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.None))
      .targets(panel.targets.map(metricsQuery))
  );
}

export function grafanaDashboard(uid: string, title: string, panels: readonly PanelSpec[], variables: readonly GrafanaVariable[]): GrafanaDashboard {
  const builder = new dashboard.DashboardBuilder(title)
    .uid(uid)
    .tags(['opensaves', 'load-test'])
    .time({ from: 'now-3h', to: 'now' })
    .refresh('1m')
    .withVariable(
      new dashboard.DatasourceVariableBuilder('datasource')
        .label('CloudWatch')
        .type('cloudwatch')
        .current({ text: DATASOURCE_UID, value: DATASOURCE_UID }),
    )
    .withVariable(new dashboard.CustomVariableBuilder('region').label('Region').values('default').current({ text: 'default', value: 'default' }));
  for (const variable of variables) builder.withVariable(variable);
  // The builder lays panels out left to right, wrapping at Grafana's 24-column width.
  panels.forEach((panel, index) => builder.withPanel(timeseriesPanel(panel, index + 1)));
  return builder.build();
}

export function textVariable(name: string, label: string, value: string): GrafanaVariable {
  return new dashboard.TextBoxVariableBuilder(name).label(label).defaultValue(value).current({ text: value, value });
}
