// Checks a dashboard body against CloudWatch's limits before it reaches PutDashboard,
// so an oversized or malformed dashboard fails at synth time with the reason.
import { DASHBOARD_LIMITS } from '../../catalogue/aws-metrics.js';
import type { DashboardBody } from './widgets.js';

export class DashboardLimitError extends Error {
  constructor(
    readonly dashboardName: string,
    readonly problems: readonly string[],
  ) {
    super(`dashboard ${dashboardName} breaks CloudWatch limits:\n  ${problems.join('\n  ')}`);
    this.name = 'DashboardLimitError';
  }
}

const EXPRESSION_ID = /^[a-z][A-Za-z0-9_]*$/;

function seriesCount(metrics: unknown): number {
  return Array.isArray(metrics) ? metrics.length : 0;
}

export function dashboardProblems(name: string, body: DashboardBody): string[] {
  const problems: string[] = [];
  if (!DASHBOARD_LIMITS.namePattern.test(name)) {
    problems.push(`name \`${name}\` must be 1-255 characters of A-Z, a-z, 0-9, - and _`);
  }
  const bytes = Buffer.byteLength(JSON.stringify(body), 'utf8');
  if (bytes > DASHBOARD_LIMITS.maxBodyBytes) {
    problems.push(`body is ${bytes} bytes, more than ${DASHBOARD_LIMITS.maxBodyBytes}`);
  }
  if (body.widgets.length > DASHBOARD_LIMITS.maxWidgets) {
    problems.push(`${body.widgets.length} widgets, more than ${DASHBOARD_LIMITS.maxWidgets}`);
  }
  let total = 0;
  body.widgets.forEach((widget, index) => {
    const where = `widget ${index} (${String(widget.properties.title ?? widget.type)})`;
    if (widget.x < 0 || widget.width < 1 || widget.x + widget.width > DASHBOARD_LIMITS.gridColumns) {
      problems.push(`${where} spans columns ${widget.x}..${widget.x + widget.width}, outside 0..${DASHBOARD_LIMITS.gridColumns}`);
    }
    if (widget.type !== 'metric') return;
    if (typeof widget.properties.region !== 'string') problems.push(`${where} has no region`);
    const count = seriesCount(widget.properties.metrics);
    if (count === 0) problems.push(`${where} has no metrics`);
    if (count > DASHBOARD_LIMITS.maxMetricsPerWidget) {
      problems.push(`${where} has ${count} metrics, more than ${DASHBOARD_LIMITS.maxMetricsPerWidget}`);
    }
    total += count;
    const ids = new Set<string>();
    for (const row of widget.properties.metrics as unknown[]) {
      const options = Array.isArray(row) ? row.find((item) => typeof item === 'object' && item !== null) : undefined;
      const id = (options as { id?: unknown } | undefined)?.id;
      if (id === undefined) continue;
      if (typeof id !== 'string' || !EXPRESSION_ID.test(id)) problems.push(`${where} has metric id \`${String(id)}\`; ids start with a lower-case letter`);
      else if (ids.has(id)) problems.push(`${where} repeats metric id \`${id}\``);
      else ids.add(id);
    }
  });
  if (total > DASHBOARD_LIMITS.maxMetricsPerDashboard) {
    problems.push(`${total} metrics in all, more than ${DASHBOARD_LIMITS.maxMetricsPerDashboard}`);
  }
  return problems;
}

export function assertDashboardWithinLimits(name: string, body: DashboardBody): void {
  const problems = dashboardProblems(name, body);
  if (problems.length > 0) throw new DashboardLimitError(name, problems);
}
