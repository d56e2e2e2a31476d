// Achieved request rate against the offered iteration rate, with dropped iterations: when k6 cannot start
// iterations on time (coordinated omission), the gap shows here instead of hiding in the latencies.
import type { AnalysisResult } from '../analyze.js';
import { baseOptions, singleChart, timeAxisTitle, timeLabels, type ChartSpec } from './chart-spec.js';

export function requestRateChart(result: AnalysisResult): ChartSpec {
  const { series } = result;
  const title = 'Achieved vs offered rate';
  return singleChart('request-rate', title, {
    type: 'line',
    data: {
      labels: timeLabels(series.offsetsSec),
      datasets: [
        { label: 'requests/s achieved', data: series.requestsPerSec, borderColor: '#0072B2', backgroundColor: '#0072B2', pointRadius: 0, borderWidth: 2 },
        { label: 'iterations/s offered (started + dropped)', data: series.offeredIterationsPerSec, borderColor: '#000000', backgroundColor: '#000000', borderDash: [6, 3], pointRadius: 0, borderWidth: 2 },
        { label: 'iterations/s started', data: series.iterationsPerSec, borderColor: '#009E73', backgroundColor: '#009E73', pointRadius: 0, borderWidth: 1 },
        { label: 'dropped iterations/s', data: series.droppedPerSec, borderColor: '#D55E00', backgroundColor: 'rgba(213,94,0,0.25)', fill: true, pointRadius: 0, borderWidth: 2 },
      ],
    },
    options: baseOptions(title, 'rate (per second)', timeAxisTitle(series.offsetsSec)),
  });
}
