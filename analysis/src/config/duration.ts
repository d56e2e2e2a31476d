// Parses durations such as 500ms, 10s, 1m, 1h (the forms k6 users write) into milliseconds.
const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or null when `text` is not a positive duration. */
export function parseDurationMs(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (match === null) return null;
  const ms = Number(match[1]) * UNITS_MS[match[2]!]!;
  return ms > 0 && Number.isFinite(ms) ? ms : null;
}
