// GNU time (`/usr/bin/time -f FORMAT -o FILE`) measures the whole life of a
// process, including the start-up and shut-down that /proc sampling misses.

/** Elapsed wall seconds, user CPU seconds, system CPU seconds, peak RSS in KiB. */
export const TIME_FORMAT = '%e %U %S %M';

export interface TimeTotals {
  wallSeconds: number;
  cpuSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  peakRssKb: number;
}

/** Parses the file GNU time wrote; its last line holds TIME_FORMAT (earlier lines may note a non-zero exit). */
export function parseTimeReport(text: string, source: string): TimeTotals {
  const lines = text.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  const values = last.trim().split(/\s+/).map(Number);
  if (values.length !== 4 || values.some((value) => !Number.isFinite(value))) {
    throw new Error(`invalid time report ${source}; reason: expected "<wall> <user> <sys> <maxrss>", got \`${last}\``);
  }
  const [wallSeconds, userSeconds, systemSeconds, peakRssKb] = values as [number, number, number, number];
  return { wallSeconds, userSeconds, systemSeconds, cpuSeconds: userSeconds + systemSeconds, peakRssKb };
}
