// Regenerates dashboards/grafana/*.json from dashboards.ts: `npx tsx dashboards/grafana/write.ts`.
import { writeFileSync } from 'node:fs';
import { GRAFANA_DASHBOARDS } from './dashboards.js';
import { grafanaFile, serializeDashboard } from './files.js';

for (const [key, build] of Object.entries(GRAFANA_DASHBOARDS)) {
  writeFileSync(grafanaFile(key), serializeDashboard(build()));
  console.log(`wrote ${grafanaFile(key)}`);
}
