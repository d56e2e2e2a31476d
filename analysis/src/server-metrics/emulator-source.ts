// The local emulator's capacity model as a server-metrics source: GET <url>/metrics/history?from=&to= answers a
// ServerMetricsHistory with CloudWatch names, one point per second.
import { parseHistory, HistoryShapeError, type ServerMetricsHistory } from './history.js';

/** The source could not be read; the message names the URL and says why. The client-side report is still written. */
export class ServerMetricsUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerMetricsUnavailable';
  }
}

const HISTORY_PATH = '/metrics/history';
const FETCH_TIMEOUT_MS = 15_000;

export function historyUrl(baseUrl: string, fromMs: number, toMs: number): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${HISTORY_PATH}`;
  url.search = new URLSearchParams({ from: String(Math.floor(fromMs)), to: String(Math.ceil(toMs)) }).toString();
  return url.toString();
}

export async function fetchEmulatorHistory(baseUrl: string, fromMs: number, toMs: number): Promise<ServerMetricsHistory> {
  const url = historyUrl(baseUrl, fromMs, toMs);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new ServerMetricsUnavailable(`--server-metrics ${baseUrl}: cannot reach ${url} (${reason}); is the emulator running with --model?`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new ServerMetricsUnavailable(
      `--server-metrics ${baseUrl}: GET ${url} answered HTTP ${response.status}${text ? ` (${text.slice(0, 120).trim()})` : ''}; ` +
        'an emulator started without --model has no metrics history',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ServerMetricsUnavailable(`--server-metrics ${baseUrl}: ${url} did not answer JSON (${(error as Error).message})`);
  }
  try {
    return parseHistory(json);
  } catch (error) {
    if (error instanceof HistoryShapeError) {
      throw new ServerMetricsUnavailable(`--server-metrics ${baseUrl}: ${url} is not a metrics history; ${error.message}`);
    }
    throw error;
  }
}
