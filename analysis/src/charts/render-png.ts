// Renders a ChartSpec to PNG in Node: Chart.js drawing on @napi-rs/canvas (Skia, prebuilt inside the npm package,
// no system libraries; see the README for why not chartjs-node-canvas).
import { createCanvas } from '@napi-rs/canvas';
import { Chart, registerables } from 'chart.js';
import type { ChartSpec } from './chart-spec.js';

export const PNG_WIDTH = 1200;
export const PNG_HEIGHT = 600;

let registered = false;

export function renderChartPng(spec: ChartSpec): Buffer {
  if (!registered) {
    Chart.register(...registerables);
    Chart.defaults.font.family = 'DejaVu Sans, Liberation Sans, Lato, sans-serif';
    registered = true;
  }
  const canvas = createCanvas(PNG_WIDTH, PNG_HEIGHT);
  const context = canvas.getContext('2d');
  // A white background: PNGs are viewed outside the report too, often on dark viewers.
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, PNG_WIDTH, PNG_HEIGHT);
  const options = { ...spec.config.options, responsive: false, animation: false as const, devicePixelRatio: 1 };
  // Chart.js types its item as a DOM canvas; its Node platform only uses the 2D context API that Skia provides.
  const item = context as unknown as ConstructorParameters<typeof Chart>[0];
  const chart = new Chart(item, { ...spec.config, options } as typeof spec.config);
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}
