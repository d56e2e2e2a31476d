// Where the Grafana dashboard JSON files live and how they are serialized.
import { fileURLToPath } from 'node:url';
import type { GrafanaDashboard } from './model.js';

export const GRAFANA_DIR = fileURLToPath(new URL('.', import.meta.url));

export function grafanaFile(key: string): string {
  return `${GRAFANA_DIR}${key}.json`;
}

export function serializeDashboard(dashboard: GrafanaDashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
