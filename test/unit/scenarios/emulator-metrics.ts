// Reads the local emulator's Prometheus text from GET /metrics.

export async function fetchMetrics(httpUrl: string): Promise<string> {
  const response = await fetch(`${httpUrl}/metrics`);
  if (!response.ok) throw new Error(`GET ${httpUrl}/metrics answered ${response.status}`);
  return response.text();
}

/** The value of one sample, e.g. gauge('opensaves_stores') or gauge('opensaves_rpc_total{method="Ping",code="OK"}'). */
export function sample(metrics: string, series: string): number | undefined {
  for (const line of metrics.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

/** Sum of every sample of a metric whose labels contain all of `labels`. */
export function sumWhere(metrics: string, name: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const wanted = Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`));
    if (wanted) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** What a run can leave on the emulator, for the scenario tests that expect nothing to be left. */
export interface LeftOnEmulator {
  stores: number;
  records: number;
  /** blob bytes, the orphans a record delete leaves on the port's S3 included */
  blobBytes: number;
  orphanedBlobBytes: number;
  /** items of the HTTP API's metadata table: the port's store_info and store_stats included */
  metadataItems: number;
}

export const NOTHING_LEFT: LeftOnEmulator = { stores: 0, records: 0, blobBytes: 0, orphanedBlobBytes: 0, metadataItems: 0 };

export async function leftOnEmulator(httpUrl: string): Promise<LeftOnEmulator> {
  const metrics = await fetchMetrics(httpUrl);
  return {
    stores: sample(metrics, 'opensaves_stores') ?? -1,
    records: sample(metrics, 'opensaves_records') ?? -1,
    blobBytes: sample(metrics, 'opensaves_blob_bytes') ?? -1,
    orphanedBlobBytes: sample(metrics, 'opensaves_orphaned_blob_bytes') ?? -1,
    metadataItems: sample(metrics, 'opensaves_metadata_items') ?? -1,
  };
}
