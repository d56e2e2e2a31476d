// Renders a ChartSpec to PNG in Node: Chart.js drawing on @napi-rs/canvas (Skia, prebuilt inside the npm package,
// no system libraries; see the README for why not chartjs-node-canvas). A chart of several panels is drawn as a
// grid of them in the one image, under the chart's title.
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { Chart, registerables } from 'chart.js';
import { gridColumns, type ChartPanel, type ChartSpec } from './chart-spec.js';

export const PNG_WIDTH = 1200;
export const PNG_HEIGHT = 600;
const TITLE_HEIGHT = 40;

let registered = false;

/** Draws a panel on a canvas of its own and copies it to `x`, `y` of the image (destroying a chart clears its canvas). */
function drawPanel(target: SKRSContext2D, panel: ChartPanel, x: number, y: number, width: number, height: number): void {
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  const options = { ...panel.config.options, responsive: false, animation: false as const, devicePixelRatio: 1 };
  // Chart.js types its item as a DOM canvas; its Node platform only uses the 2D context API that Skia provides.
  const item = context as unknown as ConstructorParameters<typeof Chart>[0];
  const chart = new Chart(item, { ...panel.config, options } as typeof panel.config);
  try {
    target.drawImage(canvas, x, y);
  } finally {
    chart.destroy();
  }
}

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
  const [only] = spec.panels;
  if (spec.panels.length === 1 && only !== undefined && only.id === spec.id) {
    drawPanel(context, only, 0, 0, PNG_WIDTH, PNG_HEIGHT);
    return canvas.toBuffer('image/png');
  }
  context.fillStyle = '#1b1f24';
  context.font = `bold 20px ${Chart.defaults.font.family}`;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  context.fillText(spec.title, PNG_WIDTH / 2, TITLE_HEIGHT / 2);
  const columns = gridColumns(spec.panels.length);
  const rows = Math.ceil(spec.panels.length / columns);
  const width = Math.floor(PNG_WIDTH / columns);
  const height = Math.floor((PNG_HEIGHT - TITLE_HEIGHT) / rows);
  spec.panels.forEach((panel, i) => {
    drawPanel(context, panel, (i % columns) * width, TITLE_HEIGHT + Math.floor(i / columns) * height, width, height);
  });
  return canvas.toBuffer('image/png');
}
