// Virtual users over time (highest k6 `vus` gauge value per bucket).
import type { AnalysisResult } from '../analyze.js';
import { baseOptions, singleChart, timeAxisTitle, timeLabels, type ChartSpec } from './chart-spec.js';

export function vusChart(result: AnalysisResult): ChartSpec {
  const { series } = result;
  const title = 'Virtual users';
  return singleChart('vus', title, {
    type: 'line',
    data: {
      labels: timeLabels(series.offsetsSec),
      datasets: [{ label: 'VUs', data: series.vus, borderColor: '#56B4E9', backgroundColor: 'rgba(86,180,233,0.3)', fill: true, pointRadius: 0, stepped: true }],
    },
    options: baseOptions(title, 'virtual users (VUs)', timeAxisTitle(series.offsetsSec)),
  });
}
