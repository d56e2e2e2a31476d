// Reads the emulator's request counter from its Prometheus endpoint. Counting on
// the server side gives every load generator the same yardstick, whatever its
// own report calls a request.

export const RPC_COUNTER = 'opensaves_rpc_total';

/** Sums every sample of `metric` whose labels include all of `labels` (exact matches). */
export function sumCounter(exposition: string, metric: string, labels: Readonly<Record<string, string>> = {}): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(metric) || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== metric) continue;
    const sampleLabels = parseLabels(match[3] ?? '');
    if (Object.entries(labels).every(([name, value]) => sampleLabels.get(name) === value)) total += Number(match[4]);
  }
  return total;
}

function parseLabels(text: string): Map<string, string> {
  const labels = new Map<string, string>();
  for (const match of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
    labels.set(match[1] ?? '', match[2] ?? '');
  }
  return labels;
}

/** A counter reader bound to one emulator; `methods` limits it to those RPCs (all RPCs when empty). */
export function rpcCounter(httpUrl: string, methods: readonly string[] = []): () => Promise<number> {
  return async () => {
    const response = await fetch(`${httpUrl}/metrics`);
    if (!response.ok) throw new Error(`GET ${httpUrl}/metrics answered ${response.status}`);
    const text = await response.text();
    if (methods.length === 0) return sumCounter(text, RPC_COUNTER);
    return methods.reduce((sum, method) => sum + sumCounter(text, RPC_COUNTER, { method }), 0);
  };
}
