// Parses one line of `k6 run --out json` output. k6 writes Point lines with a fixed key order
// ({"metric":…,"type":"Point","data":{"time":…,"value":…,"tags":{…}}}); the fast path reads those lines where they
// lie in the read chunk, with no JSON.parse and no string per line. Any line that does not have exactly that shape
// (other key orders, a time without a zone, a tag that is not a string, ...) goes through JSON.parse and a shape
// check, so unusual lines are still accepted and broken lines are still rejected, with the same result either way.
//
// The reader hands over each read chunk twice: as bytes and decoded as latin1 (one char per byte, so offsets are the
// same in both). In a JavaScript loop each character costs a nanosecond or two (a byte of a Buffer about two thirds
// of a string's charCodeAt), so the fast path reads few of them: a line's metric, fixed keys and time up to the
// second, and its tags object, are each recognised whole, by a few sampled bytes picking a cache slot and one string
// comparison (`slice(...) ===`, a native compare; `startsWith`, and a Map lookup that hashes every character, measured
// two to eight times slower); bytes are read one by one only for the time's fraction and zone and for the value.

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

/** The PointFields fields that hold a tag value. */
type TagField = Exclude<{ [K in keyof PointFields]: PointFields[K] extends string ? K : never }[keyof PointFields], 'metric'>;

/**
 * The k6 tags the aggregate reads (by their name in k6 output) and the PointFields field each one fills. Every other
 * tag is skipped. A new tag the aggregate needs is one line here (and its field in PointFields).
 */
export const KEPT_TAGS: Readonly<Record<string, TagField>> = {
  op: 'op',
  name: 'name',
  status: 'status',
  instance: 'instance',
  expected_response: 'expectedResponse',
  check: 'check',
  kind: 'kind',
  step: 'step',
  group: 'group',
  scenario: 'scenario',
};

const KEPT_TAG_NAMES = Object.keys(KEPT_TAGS);
const KEPT_TAG_INDEX: ReadonlyMap<string, number> = new Map(KEPT_TAG_NAMES.map((name, index) => [name, index]));

/** The kept tags of one tags object, in KEPT_TAG_NAMES order; '' for a tag the object does not have. */
type TagValues = readonly string[];

/**
 * Copies TagValues into a PointFields. Generated from KEPT_TAGS once, so that each field is a plain property store:
 * a loop of `out[field] = value` over changing field names is a megamorphic store, about ten times slower, on half
 * of all lines.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const assignTags = new Function(
  'out',
  'values',
  KEPT_TAG_NAMES.map((name, index) => `out.${KEPT_TAGS[name]!} = values[${index}];`).join('\n'),
) as (out: PointFields, values: TagValues) => void;

const QUOTE = 34;
const BACKSLASH = 92;
const POINT_PREFIX = '{"metric":"';
const AFTER_METRIC = '","type":"Point","data":{"time":"';
const AFTER_TIME = '","value":';
const BEFORE_TAGS = ',"tags":';
const AFTER_TIME_CODES = codesOf(AFTER_TIME);
const BEFORE_TAGS_CODES = codesOf(BEFORE_TAGS);

/** Slots of the direct-mapped cache of metric heads (a power of two; a run has a few dozen metrics). */
const HEAD_SLOTS = 256;
/**
 * A metric's cache slot is chosen by the bytes at offsets 11, 15, 19, 23 and 29 from the line start: the metric
 * name's characters 0, 4, 8, 12 and 18 (or, for shorter names, fixed characters of the text after it). They tell
 * apart k6's built-in names that share a prefix (grpc_streams_msgs_sent and _received, iterations and
 * iteration_duration, ...). A line is at least HEAD_KEY_SPAN long for the fast path.
 */
const HEAD_KEY_SPAN = 30;
/** `2026-11-28T03:01:25` */
const SECOND_LENGTH = 19;

/**
 * The cache of tags objects, each with its kept values (a run has hundreds to a few thousand distinct ones): buckets
 * of up to TAG_SET_WAYS, the last one hit first, chosen by the length and a few sampled characters. Objects that
 * differ in one character only (status 0 and 5, one operation name for another of the same length) share a bucket:
 * on a recorded capacity run (544 distinct objects) 16 ways took 1.3 comparisons a line and missed 0.3 % of lines,
 * 4 ways missed 3 %. About 300 bytes an entry.
 */
const TAG_SET_BUCKETS = 1024;
const TAG_SET_WAYS = 16;
/**
 * Tags objects are looked up in rounds of this many; a round that misses more often than it hits turns the cache off
 * for the rest of the range (tags objects that never repeat, such as HTTP URLs with ids, are then read directly).
 */
const TAG_SET_ROUND = 4096;
/** Characters sampled to choose a tags object's bucket, spread over its length. */
const TAG_SET_SAMPLES = 8;
/** Distinct kept tag values kept as shared strings. */
const TAG_VALUES_MAX = 16384;

interface TagSet {
  /** the tags object as it appears in lines */
  readonly text: string;
  readonly values: TagValues;
}

/** One metric as its Point lines start: `{"metric":"NAME","type":"Point","data":{"time":"`. */
interface MetricHead {
  /** the line's text up to the time's first digit */
  readonly head: string;
  readonly name: string;
  /** `head` and the time up to its seconds (`2026-11-28T03:01:25`) of this metric's last line */
  second: string;
  secondMs: number;
  /** the `tagged` set `hasTags` was computed for */
  taggedSet: ReadonlySet<string> | null;
  hasTags: boolean;
}

export class LineParser {
  private readonly heads: (MetricHead | undefined)[] = new Array<MetricHead | undefined>(HEAD_SLOTS).fill(undefined);
  private readonly headsByName = new Map<string, MetricHead>();
  private readonly tagSets: TagSet[][] = Array.from({ length: TAG_SET_BUCKETS }, () => []);
  private cacheTagSets = true;
  private tagSetLookups = 0;
  private tagSetMisses = 0;
  /** tag value text (as in the line) -> the decoded value, one shared string per distinct value */
  private readonly tagValues = new Map<string, string>();
  // Set by readTimeRest and readNumber, read right after them.
  private timeMs = 0;
  private number = 0;

  /**
   * Parses the line text[start, end) into `out`. `text` is a read chunk decoded as latin1 and `bytes` the same chunk's
   * bytes (made from `text` when not given); working on offsets into the chunk avoids a string per line. Tags are
   * read only for metrics in `tagged`; skipping the others is the biggest saving of the fast path.
   */
  parse(
    text: string,
    start: number,
    end: number,
    out: PointFields,
    tagged: ReadonlySet<string>,
    bytes: Uint8Array = Buffer.from(text, 'latin1'),
  ): LineKind {
    if (start === end) return LINE_BLANK;
    if (this.parseFast(text, bytes, start, end, out, tagged)) return LINE_POINT;
    return this.parseWithJson(text.slice(start, end), out, tagged);
  }

  /** Parses one line given as a JavaScript string (tests, probes): encoded to UTF-8 and decoded as latin1 as the reader does. */
  parseLine(line: string, out: PointFields, tagged: ReadonlySet<string>): LineKind {
    const bytes = Buffer.from(line, 'utf8');
    return this.parse(bytes.toString('latin1'), 0, bytes.length, out, tagged, bytes);
  }

  private parseFast(text: string, b: Uint8Array, start: number, end: number, out: PointFields, tagged: ReadonlySet<string>): boolean {
    // A whole line ends with the tags object (or null) and two closing braces.
    if (end - start < HEAD_KEY_SPAN || b[end - 1] !== 125 || b[end - 2] !== 125) return false;
    const key = (((b[start + 11]! * 31 + b[start + 15]!) * 31 + b[start + 19]!) * 31 + b[start + 23]!) * 31 + b[start + 29]!;
    const slot = (key ^ (key >>> 11)) & (HEAD_SLOTS - 1);
    let head = this.heads[slot];
    let secondMs: number;
    let afterSecond: number;
    // Consecutive points of a metric mostly fall in the same second: one comparison checks the metric, the fixed
    // keys and the time up to its seconds.
    if (head !== undefined && text.slice(start, start + head.second.length) === head.second) {
      secondMs = head.secondMs;
      afterSecond = start + head.second.length;
    } else {
      if (head === undefined || text.slice(start, start + head.head.length) !== head.head) {
        const found = this.newHead(text, start);
        if (found === null) return false;
        head = this.heads[slot] = found;
      }
      const timeStart = start + head.head.length;
      secondMs = secondOf(text, timeStart, end);
      if (Number.isNaN(secondMs)) return false;
      afterSecond = timeStart + SECOND_LENGTH;
      head.second = copyOf(text.slice(start, afterSecond));
      head.secondMs = secondMs;
    }
    const timeEnd = this.readTimeRest(b, afterSecond, end, secondMs);
    if (timeEnd < 0 || !matchesAt(b, timeEnd, AFTER_TIME_CODES)) return false;
    const valueEnd = this.readNumber(b, text, timeEnd + AFTER_TIME.length, end);
    const tagsStart = valueEnd + BEFORE_TAGS.length;
    // Every read stays inside the line: the tags object (at least `{}`) ends two characters before its end.
    if (valueEnd < 0 || tagsStart + 2 > end - 2 || !matchesAt(b, valueEnd, BEFORE_TAGS_CODES)) return false;

    out.metric = head.name;
    out.timeMs = this.timeMs;
    out.value = this.number;
    out.declaration = null;
    out.clearTags();
    if (head.taggedSet !== tagged) {
      head.taggedSet = tagged;
      head.hasTags = tagged.has(head.name);
    }
    if (!head.hasTags) return true;
    const values = this.tagsOf(text, b, tagsStart, end - 2);
    if (values === null) return false;
    assignTags(out, values);
    return true;
  }

  /** The head of a metric not in its cache slot, when the line starts with one; null otherwise. */
  private newHead(text: string, start: number): MetricHead | null {
    if (!text.startsWith(POINT_PREFIX, start)) return null;
    const nameStart = start + POINT_PREFIX.length;
    const nameEnd = text.indexOf('"', nameStart);
    if (nameEnd <= nameStart || !text.startsWith(AFTER_METRIC, nameEnd)) return null;
    const name = text.slice(nameStart, nameEnd);
    // A name with an escape or a non-ASCII character is left to JSON.parse.
    // eslint-disable-next-line no-control-regex
    if (/[\\\x80-\xff]/.test(name)) return null;
    let head = this.headsByName.get(name);
    if (head === undefined) {
      const headText = copyOf(text.slice(start, nameEnd + AFTER_METRIC.length));
      head = { head: headText, name: copyOf(name), second: headText, secondMs: NaN, taggedSet: null, hasTags: false };
      this.headsByName.set(head.name, head);
    }
    return head;
  }

  /**
   * Reads the rest of an RFC 3339 time after its seconds, up to its closing quote: the fraction if any and the zone,
   * `Z` or an offset such as `+01:00` (k6 writes `2026-11-28T03:01:25.04157449Z`, or with its machine's offset).
   * Sets `timeMs` and returns the quote's index, or -1 for any other form. Milliseconds, as Date.parse gives them:
   * digits after the third of the fraction are checked, not used.
   */
  private readTimeRest(b: Uint8Array, start: number, end: number, secondMs: number): number {
    let ms = secondMs;
    let i = start;
    if (b[i] === 46) {
      const digitsStart = ++i;
      while (i < end && isDigit(b[i]!)) i++;
      const digits = i - digitsStart;
      if (digits === 0) return -1;
      ms += (b[digitsStart]! - 48) * 100;
      if (digits > 1) ms += (b[digitsStart + 1]! - 48) * 10;
      if (digits > 2) ms += b[digitsStart + 2]! - 48;
    }
    const zone = b[i];
    if (zone === 90) i++;
    else if (zone === 43 || zone === 45) {
      const hours = twoDigits(b, i + 1);
      const minutes = twoDigits(b, i + 4);
      if (hours < 0 || hours > 23 || b[i + 3] !== 58 || minutes < 0 || minutes > 59) return -1;
      const offsetMs = (hours * 60 + minutes) * 60_000;
      ms += zone === 43 ? -offsetMs : offsetMs;
      i += 6;
    } else return -1;
    if (i >= end || b[i] !== QUOTE) return -1;
    this.timeMs = ms;
    return i;
  }

  /**
   * Reads the JSON number at `start`: sets `number` and returns the index after it, or -1 when there is none or it
   * is not valid JSON (leading zeros, a bare `-`, `1.`: those lines go to JSON.parse, which rejects them). Plain
   * decimals of up to 15 digits (what k6 writes almost always) are read digit by digit, several times faster than
   * Number(slice), and give the same double: digits and 10^k are both exact, so their quotient is one correctly
   * rounded division. Longer ones and exponents go to Number(), which for valid JSON agrees with JSON.parse.
   */
  private readNumber(b: Uint8Array, text: string, start: number, end: number): number {
    let i = start;
    const negative = b[i] === 45;
    if (negative) i++;
    const digitsStart = i;
    let scaled = 0;
    let code = b[i]!;
    while (i < end && code >= 48 && code <= 57) {
      scaled = scaled * 10 + (code - 48);
      code = b[++i]!;
    }
    const wholeDigits = i - digitsStart;
    if (wholeDigits === 0 || (wholeDigits > 1 && b[digitsStart] === 48)) return -1;
    let scale = 1;
    let digits = wholeDigits;
    if (code === 46) {
      const fractionStart = ++i;
      code = b[i]!;
      while (i < end && code >= 48 && code <= 57) {
        scaled = scaled * 10 + (code - 48);
        scale *= 10;
        code = b[++i]!;
      }
      if (i === fractionStart) return -1;
      digits += i - fractionStart;
    }
    let exact = digits <= 15;
    if (code === 101 || code === 69) {
      code = b[++i]!;
      if (code === 43 || code === 45) code = b[++i]!;
      const exponentStart = i;
      while (i < end && code >= 48 && code <= 57) code = b[++i]!;
      if (i === exponentStart) return -1;
      exact = false;
    }
    if (exact) this.number = negative ? -(scaled / scale) : scaled / scale;
    else this.number = Number(text.slice(start, i));
    return i;
  }

  /** The kept tag values of the tags object text[start, end) (or `null`); null when it is not a flat object of strings. */
  private tagsOf(text: string, b: Uint8Array, start: number, end: number): TagValues | null {
    if (!this.cacheTagSets) return this.readTags(text, start, end);
    if (++this.tagSetLookups === TAG_SET_ROUND) {
      this.cacheTagSets = this.tagSetMisses * 2 < TAG_SET_ROUND;
      this.tagSetLookups = 0;
      this.tagSetMisses = 0;
    }
    const length = end - start;
    let key = length;
    for (let i = 1; i <= TAG_SET_SAMPLES; i++) key = (key * 31 + b[start + ((length * i) >> 3) - 1]!) | 0;
    const bucket = this.tagSets[(key ^ (key >>> 13)) & (TAG_SET_BUCKETS - 1)]!;
    const tags = text.slice(start, end);
    for (let i = 0; i < bucket.length; i++) {
      const cached = bucket[i]!;
      if (tags !== cached.text) continue;
      // Swapped to the front: the frequent objects of a bucket stay first without reordering it all on every hit.
      if (i > 0) {
        bucket[i] = bucket[0]!;
        bucket[0] = cached;
      }
      return cached.values;
    }
    this.tagSetMisses++;
    const values = this.readTags(text, start, end);
    // A miss evicts the bucket's last entry: tags objects that never repeat (HTTP URLs with ids) cost a copy each,
    // no memory.
    if (values !== null) {
      if (bucket.length === TAG_SET_WAYS) bucket.pop();
      bucket.unshift({ text: copyOf(tags), values });
    }
    return values;
  }

  /** Reads a flat {"k":"v",…} object (or null) spanning [start, end) and keeps the tags KEPT_TAGS names. */
  private readTags(text: string, start: number, end: number): TagValues | null {
    const values: string[] = KEPT_TAG_NAMES.map(() => '');
    if (text.startsWith('null', start)) return start + 4 === end ? values : null;
    if (text.charCodeAt(start) !== 123) return null;
    let pos = start + 1;
    if (text.charCodeAt(pos) === 125) return pos + 1 === end ? values : null;
    for (;;) {
      if (text.charCodeAt(pos) !== QUOTE) return null;
      const keyEnd = stringEnd(text, pos + 1, end);
      if (keyEnd < 0 || text.charCodeAt(keyEnd + 1) !== 58 || text.charCodeAt(keyEnd + 2) !== QUOTE) return null;
      const valueStart = keyEnd + 3;
      const valueEnd = stringEnd(text, valueStart, end);
      if (valueEnd < 0) return null;
      const rawKey = text.slice(pos + 1, keyEnd);
      // A key with an escape is left to JSON.parse; a non-ASCII key is no tag the analysis reads.
      if (rawKey.includes('\\')) return null;
      const index = KEPT_TAG_INDEX.get(rawKey);
      if (index !== undefined) values[index] = this.tagValue(text, valueStart, valueEnd);
      pos = valueEnd + 1;
      const next = text.charCodeAt(pos);
      if (next === 125) return pos + 1 === end ? values : null;
      if (next !== 44) return null;
      pos++;
    }
  }

  /** A tag value as text: UTF-8 decoded, escapes resolved, one shared string per distinct value. */
  private tagValue(text: string, start: number, end: number): string {
    const raw = text.slice(start, end);
    const known = this.tagValues.get(raw);
    if (known !== undefined) return known;
    let value = decodeUtf8(raw);
    if (value.includes('\\')) {
      try {
        value = JSON.parse(`"${value}"`) as string;
      } catch {
        throw new LineError(`invalid escape in tag value \`${value}\``);
      }
    }
    if (this.tagValues.size >= TAG_VALUES_MAX) this.tagValues.clear();
    this.tagValues.set(copyOf(raw), value);
    return value;
  }

  /** Lines read by JSON.parse (declarations, and the lines the fast path declined): how often the fast path misses. */
  jsonParsedLines = 0;

  /**
   * The fallback: one latin1-decoded line through JSON.parse and a shape check, giving the same fields as the fast
   * path (tags, too, only for metrics in `tagged`).
   */
  parseWithJson(line: string, out: PointFields, tagged: ReadonlySet<string>): LineKind {
    this.jsonParsedLines++;
    let parsed: unknown;
    try {
      parsed = JSON.parse(decodeUtf8(line));
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
    if (isObject(data.tags) && tagged.has(parsed.metric)) {
      const tags = data.tags;
      assignTags(out, KEPT_TAG_NAMES.map((name) => stringTag(tags[name])));
    }
    return LINE_POINT;
  }
}

function codesOf(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

function matchesAt(b: Uint8Array, position: number, codes: readonly number[]): boolean {
  for (let i = 0; i < codes.length; i++) if (b[position + i] !== codes[i]) return false;
  return true;
}

/** A flat copy of a string: a slice of a read chunk would keep the whole chunk alive in a cache. */
function copyOf(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

/** latin1-decoded bytes as the UTF-8 text they are. */
function decodeUtf8(latin1: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1;
}

/**
 * The time `YYYY-MM-DDTHH:MM:SS` at `start` in epoch milliseconds (UTC; the zone is read after the fraction), or
 * NaN. Date.parse decides what is a valid date (as for the lines JSON.parse reads); once a second of each metric.
 */
function secondOf(text: string, start: number, end: number): number {
  if (end - start < SECOND_LENGTH + 1) return NaN;
  const second = text.slice(start, start + SECOND_LENGTH);
  // Date.parse also takes 24:00 (the next day) and forms k6 does not write; those are left to it, whole.
  if (!/^\d{4}-\d\d-\d\dT([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(second)) return NaN;
  return Date.parse(`${second}Z`);
}

/** Two decimal digits at `at` as a number, or -1. */
function twoDigits(b: Uint8Array, at: number): number {
  const tens = b[at]! - 48;
  const ones = b[at + 1]! - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Index of the closing quote of a JSON string whose content starts at `start` (before `end`), or -1. */
function stringEnd(text: string, start: number, end: number): number {
  let quote = text.indexOf('"', start);
  while (quote > 0 && text.charCodeAt(quote - 1) === BACKSLASH) {
    let backslashes = 1;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) break;
    quote = text.indexOf('"', quote + 1);
  }
  return quote >= end ? -1 : quote;
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
