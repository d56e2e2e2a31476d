// summary.json text: indented for reading, except the latency histograms, which stay one line per operation.
import type { Summary } from '../summary.js';

const HISTOGRAMS_PLACEHOLDER = '"__histograms__"';

export function renderSummaryJson(summary: Summary): string {
  const text = JSON.stringify({ ...summary, histograms: '__histograms__' }, null, 2);
  const entries = Object.entries(summary.histograms).map(([op, counts]) => `    ${JSON.stringify(op)}: ${JSON.stringify(counts)}`);
  const histograms = entries.length === 0 ? '{}' : `{\n${entries.join(',\n')}\n  }`;
  return `${text.replace(HISTOGRAMS_PLACEHOLDER, histograms)}\n`;
}
