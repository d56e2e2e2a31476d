// Parses one line of `k6 run --out json` output. k6 writes Point lines with a fixed key order
// ({"metric":…,"type":"Point","data":{"time":…,"value":…,"tags":{…}}}); the fast path reads those fields with
// indexOf/startsWith and no JSON.parse. Any line that does not have exactly that shape goes through JSON.parse and
// a shape check, so other key orders are still accepted and broken lines are still rejected.
//
// Lines arrive decoded as latin1 (one byte per char, the cheapest decoding); tag values that contain non-ASCII bytes
// are re-decoded as UTF-8 when they are kept.

import { PointFields, type MetricDeclaration } from '../aggregate/point.js';

export const LINE_POINT = 1;
export const LINE_DECLARATION = 2;
export const LINE_BLANK = 3;
export type LineKind = typeof LINE_POINT | typeof LINE_DECLARATION | typeof LINE_BLANK;

/** Thrown for a line that is not k6 output; the reader adds file and line number. */
export class LineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LineError';
  }
}

// Compared char by char: startsWith/indexOf with a multi-char pattern cost more than the rest of the line.
const codesOf = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));
const AFTER_METRIC = '","type":"Point","data":{"time":"';
// [offset, char code, ...] of the characters of AFTER_METRIC that isPointHeaderAt checks.
const POINT_HEADER_CHECKS = [0, 1, 2, 7, 8, 9, 10, 15, 16, 24, 25, 32].flatMap((i) => [i, AFTER_METRIC.charCodeAt(i)]);
const AFTER_TIME_CODES = codesOf('","value":');
const BEFORE_TAGS_CODES = codesOf(',"tags":');
const POINT_PREFIX_CODES = codesOf('{"metric":"');
const QUOTE = 34;
const BACKSLASH = 92;
// Slots of the cache of recent names and tag values (a power of two). A k6 run has a few dozen metric names and a
// few hundred distinct tag values (operations, statuses, check names); a slot holds the last string that hashed to it.
const INTERNED_SLOTS = 1024;

/**
 * Strings read from lines, returned as one shared string per distinct text when seen before: no new string per line
 * (less garbage), and map lookups downstream find a string whose hash V8 has already computed. A direct-mapped
 * cache keyed by length and three characters; a miss just slices.
 */
export class Interner {
  private readonly slots: string[] = new Array<string>(INTERNED_SLOTS).fill('');

  get(line: string, start: number, end: number): string {
    const length = end - start;
    if (length === 0) return '';
    const slot =
      (length * 31 + line.charCodeAt(start) * 7 + line.charCodeAt(end - 1) * 3 + line.charCodeAt(start + (length >> 1))) &
      (INTERNED_SLOTS - 1);
    const cached = this.slots[slot]!;
    if (cached.length === length && line.startsWith(cached, start)) return cached;
    const text = line.slice(start, end);
    this.slots[slot] = text;
    return text;
  }
}

export class LineParser {
  // Date.parse is the slowest step of a line; consecutive points share the same second, so cache it.
  private cachedSecond = '';
  private cachedSecondMs = 0;
  private readonly names = new Interner();
  /**
   * Set by the reader for each decoded chunk: true when it holds no byte above 0x7f, so no tag value of its lines
   * needs re-decoding as UTF-8 and none is tested for it.
   */
  asciiOnly = false;

  /**
   * Parses `line` into `out`. `wantTags(metric)` says whether the tags of that metric are needed; skipping them
   * for metrics nobody reads is the biggest saving of the fast path.
   */
  /**
   * Parses the line text[start, end) into `out`. Working on offsets into the decoded chunk avoids a string per
   * line. Tags are read only for metrics in `tagged`; skipping the others is the biggest saving of the fast path.
   */
  parse(text: string, start: number, end: number, out: PointFields, tagged: ReadonlySet<string>): LineKind {
    if (start === end) return LINE_BLANK;
    if (matchesAt(text, start, POINT_PREFIX_CODES) && this.parseFast(text, start, end, out, tagged)) return LINE_POINT;
    return this.parseSlow(text.slice(start, end), out);
  }

  private parseFast(line: string, start: number, end: number, out: PointFields, tagged: ReadonlySet<string>): boolean {
    const metricStart = start + POINT_PREFIX_CODES.length;
    const metricEnd = line.indexOf('"', metricStart);
    if (metricEnd < 0 || metricEnd >= end || !isPointHeaderAt(line, metricEnd)) return false;
    const timeStart = metricEnd + AFTER_METRIC.length;
    const timeEnd = line.indexOf('"', timeStart);
    if (timeEnd < 0 || timeEnd >= end || !matchesAt(line, timeEnd, AFTER_TIME_CODES)) return false;
    const valueStart = timeEnd + AFTER_TIME_CODES.length;
    const valueEnd = line.indexOf(',', valueStart);
    if (valueEnd <= valueStart || valueEnd >= end || !matchesAt(line, valueEnd, BEFORE_TAGS_CODES)) return false;
    const tagsStart = valueEnd + BEFORE_TAGS_CODES.length;
    // A whole line ends with the tags object (or null) and two closing braces.
    if (line.charCodeAt(end - 1) !== 125 || line.charCodeAt(end - 2) !== 125) return false;

    const value = parseNumber(line, valueStart, valueEnd);
    if (Number.isNaN(value)) return false;
    const timeMs = this.timeToMs(line, timeStart, timeEnd);
    if (Number.isNaN(timeMs)) return false;

    out.metric = this.metricName(line, metricStart, metricEnd);
    out.value = value;
    out.timeMs = timeMs;
    out.declaration = null;
    out.clearTags();
    if (!tagged.has(out.metric)) return true;
    return this.readTags(line, tagsStart, end - 2, out);
  }

  /** The metric name as one shared string per metric, so later map lookups hit a cached hash. */
  private metricName(line: string, start: number, end: number): string {
    return this.names.get(line, start, end);
  }

  private tagValue(line: string, start: number, end: number): string {
    return tagValue(line, start, end, this.names, this.asciiOnly);
  }

  /** Reads a flat {"k":"v",…} object (or null) spanning [start, end) and keeps the tags PointFields names. */
  private readTags(line: string, start: number, end: number, out: PointFields): boolean {
    if (line.startsWith('null', start)) return start + 4 === end;
    if (line.charCodeAt(start) !== 123) return false;
    let pos = start + 1;
    if (line.charCodeAt(pos) === 125) return pos + 1 === end;
    for (;;) {
      if (line.charCodeAt(pos) !== QUOTE) return false;
      const keyEnd = stringEnd(line, pos + 1);
      if (keyEnd < 0 || line.charCodeAt(keyEnd + 1) !== 58 || line.charCodeAt(keyEnd + 2) !== QUOTE) return false;
      const valueStart = keyEnd + 3;
      const valueEnd = stringEnd(line, valueStart);
      if (valueEnd < 0) return false;
      const keyLength = keyEnd - pos - 1;
      // Keys are told apart by length and first letter before any string compare: most tags (url, group,
      // scenario, method, proto...) are skipped without one.
      const first = line.charCodeAt(pos + 1);
      if (keyLength === 2) {
        if (first === 111 && line.charCodeAt(pos + 2) === 112) out.op = this.tagValue(line, valueStart, valueEnd);
      } else if (keyLength === 4) {
        if (first === 110 && line.startsWith('name', pos + 1)) out.name = this.tagValue(line, valueStart, valueEnd);
        else if (first === 115 && line.startsWith('step', pos + 1)) out.step = this.tagValue(line, valueStart, valueEnd);
        else if (first === 107 && line.startsWith('kind', pos + 1)) out.kind = this.tagValue(line, valueStart, valueEnd);
      } else if (keyLength === 6) {
        if (first === 115 && line.startsWith('status', pos + 1)) out.status = this.tagValue(line, valueStart, valueEnd);
      } else if (keyLength === 8) {
        if (first === 105 && line.startsWith('instance', pos + 1)) out.instance = this.tagValue(line, valueStart, valueEnd);
        else if (first === 115 && line.startsWith('scenario', pos + 1)) out.scenario = this.tagValue(line, valueStart, valueEnd);
      } else if (keyLength === 5) {
        if (first === 99 && line.startsWith('check', pos + 1)) out.check = this.tagValue(line, valueStart, valueEnd);
        else if (first === 103 && line.startsWith('group', pos + 1)) out.group = this.tagValue(line, valueStart, valueEnd);
      } else if (keyLength === 17 && first === 101 && line.startsWith('expected_response', pos + 1)) {
        out.expectedResponse = this.tagValue(line, valueStart, valueEnd);
      }
      pos = valueEnd + 1;
      const next = line.charCodeAt(pos);
      if (next === 125) return pos + 1 === end;
      if (next !== 44) return false;
      pos++;
    }
  }

  private timeToMs(line: string, start: number, end: number): number {
    // RFC 3339 in UTC: 2026-11-28T03:01:25.041574490Z. Other zones go through Date.parse whole.
    if (end - start < 20 || line.charCodeAt(end - 1) !== 90) return Date.parse(line.slice(start, end));
    let secondMs: number;
    if (this.cachedSecond.length === 19 && sameSecond(line, start, this.cachedSecond)) secondMs = this.cachedSecondMs;
    else {
      const second = line.slice(start, start + 19);
      secondMs = Date.parse(`${second}Z`);
      if (Number.isNaN(secondMs)) return NaN;
      this.cachedSecond = second;
      this.cachedSecondMs = secondMs;
    }
    if (line.charCodeAt(start + 19) !== 46) return end === start + 20 ? secondMs : NaN;
    // Fraction: milliseconds are all the analysis uses.
    let fraction = 0;
    let scale = 100;
    for (let i = start + 20; i < end - 1 && scale >= 1; i++) {
      const digit = line.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return NaN;
      fraction += digit * scale;
      scale /= 10;
    }
    return secondMs + fraction;
  }

  private parseSlow(line: string, out: PointFields): LineKind {
    let parsed: unknown;
    try {
      // eslint-disable-next-line no-control-regex
      parsed = JSON.parse(/[^\x00-\x7f]/.test(line) ? Buffer.from(line, 'latin1').toString('utf8') : line);
    } catch {
      throw new LineError(`not valid JSON (${describeLine(line)})`);
    }
    if (!isObject(parsed)) throw new LineError(`expected a k6 JSON object, got ${describeLine(line)}`);
    const data = parsed.data;
    if (parsed.type === 'Metric' && isObject(data) && typeof data.name === 'string') {
      out.declaration = {
        name: data.name,
        type: typeof data.type === 'string' ? data.type : '',
        contains: typeof data.contains === 'string' ? data.contains : '',
        thresholds: Array.isArray(data.thresholds) ? data.thresholds.filter((t) => typeof t === 'string') : [],
      };
      return LINE_DECLARATION;
    }
    if (parsed.type !== 'Point') {
      throw new LineError(`expected "type":"Point" or "type":"Metric" (k6 --out json), got ${describeLine(line)}`);
    }
    if (typeof parsed.metric !== 'string' || !isObject(data)) {
      throw new LineError(`a Point needs "metric" and "data", got ${describeLine(line)}`);
    }
    const timeMs = typeof data.time === 'string' ? Date.parse(data.time) : NaN;
    if (Number.isNaN(timeMs)) throw new LineError(`expected data.time as an RFC 3339 time, got ${JSON.stringify(data.time)}`);
    if (typeof data.value !== 'number') throw new LineError(`expected data.value as a number, got ${JSON.stringify(data.value)}`);
    out.metric = parsed.metric;
    out.timeMs = timeMs;
    out.value = data.value;
    out.declaration = null;
    out.clearTags();
    if (isObject(data.tags)) {
      const tags = data.tags;
      out.op = stringTag(tags.op);
      out.name = stringTag(tags.name);
      out.status = stringTag(tags.status);
      out.instance = stringTag(tags.instance);
      out.check = stringTag(tags.check);
      out.kind = stringTag(tags.kind);
      out.expectedResponse = stringTag(tags.expected_response);
      out.step = stringTag(tags.step);
      out.group = stringTag(tags.group);
      out.scenario = stringTag(tags.scenario);
    }
    return LINE_POINT;
  }
}

function matchesAt(line: string, position: number, codes: readonly number[]): boolean {
  for (let i = 0; i < codes.length; i++) if (line.charCodeAt(position + i) !== codes[i]) return false;
  return true;
}

/**
 * `","type":"Point","data":{"time":"` checked at its punctuation and the P of Point only: 12 of 33 characters, a
 * measurable share of the line cost. A line damaged inside those key names alone would pass; truncated, merged or
 * shifted lines do not (every field boundary is still checked).
 */
function isPointHeaderAt(line: string, position: number): boolean {
  for (let i = 0; i < POINT_HEADER_CHECKS.length; i += 2) {
    if (line.charCodeAt(position + POINT_HEADER_CHECKS[i]!) !== POINT_HEADER_CHECKS[i + 1]) return false;
  }
  return true;
}

/** Whether line[start, start+19) equals `second`; compared from the end, where consecutive times differ. */
function sameSecond(line: string, start: number, second: string): boolean {
  for (let i = 18; i >= 0; i--) if (line.charCodeAt(start + i) !== second.charCodeAt(i)) return false;
  return true;
}

/**
 * A JSON number in [start, end). Plain decimals (what k6 writes almost always) are read digit by digit, which is
 * several times faster than Number(slice); exponents and anything unusual go to Number().
 */
function parseNumber(line: string, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (line.charCodeAt(i) === 45) {
    negative = true;
    i++;
  }
  let whole = 0;
  let digits = 0;
  for (; i < end; i++) {
    const digit = line.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    whole = whole * 10 + digit;
    digits++;
  }
  if (digits === 0 || digits > 15) return Number(line.slice(start, end));
  if (i === end) return negative ? -whole : whole;
  if (line.charCodeAt(i) !== 46 || end - i > 16) return Number(line.slice(start, end));
  let fraction = 0;
  let scale = 1;
  for (i++; i < end; i++) {
    const digit = line.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number(line.slice(start, end));
    fraction = fraction * 10 + digit;
    scale *= 10;
  }
  if (scale === 1) return NaN;
  // digits / 10^k with both exact integers is one correctly rounded division: the same double as Number(text).
  const scaled = whole * scale + fraction;
  if (scaled > Number.MAX_SAFE_INTEGER) return Number(line.slice(start, end));
  const value = scaled / scale;
  return negative ? -value : value;
}

/** Index of the closing quote of a JSON string whose content starts at `start`, or -1. */
function stringEnd(line: string, start: number): number {
  let quote = line.indexOf('"', start);
  while (quote > 0 && line.charCodeAt(quote - 1) === BACKSLASH) {
    let backslashes = 1;
    while (line.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) break;
    quote = line.indexOf('"', quote + 1);
  }
  return quote;
}

function tagValue(line: string, start: number, end: number, names: Interner, asciiOnly: boolean): string {
  let value = names.get(line, start, end);
  // Bytes first (latin1 chars -> UTF-8 text), escapes second: an escaped \u00e9 must stay é.
  // eslint-disable-next-line no-control-regex
  if (!asciiOnly && /[^\x00-\x7f]/.test(value)) value = Buffer.from(value, 'latin1').toString('utf8');
  if (value.includes('\\')) {
    try {
      value = JSON.parse(`"${value}"`) as string;
    } catch {
      throw new LineError(`invalid escape in tag value \`${value}\``);
    }
  }
  return value;
}

function stringTag(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeLine(line: string): string {
  return line.length > 80 ? `\`${line.slice(0, 77)}...\`` : `\`${line}\``;
}
