// Utilisation of each server component against the offered load: one point per server-metrics period, 100 % being
// the component's saturation point (the HPA target, provisioned capacity, the cache's memory and CPU limits, the
// WAF limit), so the component that reaches 100 % at the lowest rate is the first to saturate.
import type { AnalysisResult } from '../analyze.js';
import { baseOptions, singleChart, type ChartSpec } from './chart-spec.js';
import { seriesColour } from './palette.js';

export const UTILISATION_CHART_ID = 'utilisation';

export function utilisationChart(result: AnalysisResult): ChartSpec | null {
  const lines = result.scaling?.utilisation ?? [];
  if (lines.length === 0) return null;
  const unit = result.series.offeredIterationsPerSec.some((r) => r > 0) ? 'iterations' : 'requests';
  const maxX = Math.max(1, ...lines.flatMap((line) => line.points.map((p) => p.x)));
  const title = 'Utilisation against offered load';
  const options = baseOptions(title, 'utilisation (% of the saturation point)', `offered load (${unit}/s)`);
  options.scales = { ...options.scales, x: { title: { display: true, text: `offered load (${unit}/s)` }, type: 'linear', min: 0 } };
  return singleChart(UTILISATION_CHART_ID, title, {
    type: 'scatter',
    data: {
      datasets: [
        ...lines.map((line, i) => ({
          label: `${line.component} (${line.basis})`,
          data: line.points.map((p) => ({ x: round(p.x), y: round(p.y) })),
          borderColor: seriesColour(i),
          backgroundColor: seriesColour(i),
          pointRadius: 3,
        })),
        {
          label: 'saturation (100 %)',
          data: [
            { x: 0, y: 100 },
            { x: round(maxX), y: 100 },
          ],
          borderColor: '#888888',
          backgroundColor: '#888888',
          borderDash: [6, 3],
          showLine: true,
          pointRadius: 0,
          borderWidth: 1,
        },
      ],
    },
    options,
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
