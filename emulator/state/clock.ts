// Server time in microseconds since the epoch (upstream truncates timestamps to
// microseconds), strictly increasing so every mutation gets a new updated_at.
import { performance } from 'node:perf_hooks';

export interface TimestampMessage {
  seconds: string;
  nanos: number;
}

const ORIGIN_US = Math.round(performance.timeOrigin * 1000);
let lastUs = 0;

export function nowMicros(): number {
  const now = ORIGIN_US + Math.floor(performance.now() * 1000);
  lastUs = now > lastUs ? now : lastUs + 1;
  return lastUs;
}

export function microsToTimestamp(us: number): TimestampMessage {
  const seconds = Math.floor(us / 1_000_000);
  return { seconds: String(seconds), nanos: (us - seconds * 1_000_000) * 1000 };
}

/** RFC 3339 with whole seconds, as the AWS port stores Unix seconds. */
export function microsToRfc3339Seconds(us: number): string {
  return new Date(Math.floor(us / 1_000_000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A Timestamp message is "set" when it is present and not the zero instant. */
export function isSetTimestamp(ts: TimestampMessage | null | undefined): ts is TimestampMessage {
  return ts != null && (ts.seconds !== '0' || ts.nanos !== 0);
}
