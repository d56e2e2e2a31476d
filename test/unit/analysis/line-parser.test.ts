import { describe, expect, it } from 'vitest';
import { PointFields } from '../../../analysis/src/aggregate/point.js';
import { KEPT_TAGS, LINE_BLANK, LINE_DECLARATION, LINE_POINT, LineError, LineParser } from '../../../analysis/src/input/line-parser.js';
import { TAGGED_METRICS } from '../../../analysis/src/aggregate/aggregate.js';

function parse(line: string, parser = new LineParser()): { kind: number; point: PointFields } {
  const point = new PointFields();
  const kind = parser.parseLine(line, point, TAGGED_METRICS);
  return { kind, point };
}

/** What the fallback (JSON.parse) makes of a line, as the reader hands it over (UTF-8 bytes decoded as latin1). */
function parseWithJson(line: string): PointFields {
  const point = new PointFields();
  new LineParser().parseWithJson(Buffer.from(line, 'utf8').toString('latin1'), point, TAGGED_METRICS);
  return point;
}

/** Every field a Point line fills, for comparing whole results. */
function fieldsOf(point: PointFields): Record<string, unknown> {
  const fields: Record<string, unknown> = { metric: point.metric, timeMs: point.timeMs, value: point.value, negativeZero: Object.is(point.value, -0) };
  for (const field of Object.values(KEPT_TAGS)) fields[field] = point[field];
  return fields;
}

const GRPC_POINT =
  '{"metric":"grpc_req_duration","type":"Point","data":{"time":"2026-11-28T03:01:25.041574490Z","value":1.861657,"tags":{"group":"","method":"Ping","name":"/opensaves.OpenSaves/Ping","op":"Ping","scenario":"a","service":"opensaves.OpenSaves","status":"5","url":"127.0.0.1:36219/opensaves.OpenSaves/Ping"}}}';

const point = (metric: string, time: string, value: string, tags: string) =>
  `{"metric":"${metric}","type":"Point","data":{"time":"${time}","value":${value},"tags":${tags}}}`;

// Lines in k6's own shape: each must take the fast path and give what JSON.parse gives.
const K6_SHAPED_LINES = [
  GRPC_POINT,
  point('checks', '2026-12-05T19:49:37.74360539Z', '1', '{"check":"the CreateRecord call ends with an expected status","group":"::setup","kind":"status","op":"CreateRecord"}'),
  point('checks', '2026-12-05T19:49:37.7Z', '0', '{"check":"a created record echoes what was written","group":"::setup","kind":"verify","op":"CreateRecord"}'),
  point('http_req_duration', '2026-12-05T19:49:38Z', '12.5', '{"expected_response":"false","method":"GET","name":"https://x.example/records/{id}","status":"503","url":"https://x.example/records/7"}'),
  point('iterations', '2026-12-05T19:49:38.000001Z', '1', '{"group":"","scenario":"capacity","step":"3"}'),
  point('opensaves_errors', '2026-12-05T19:49:38.5Z', '2', '{"instance":"runner-2","op":"GetRecord","status":"UNAVAILABLE"}'),
  point('vus', '2026-12-05T19:49:39Z', '40', 'null'),
  point('vus_max', '2026-12-05T19:49:39Z', '100', '{}'),
  point('data_sent', '2026-12-05T19:49:39.123Z', '208', '{"group":"","scenario":"load"}'),
  // Escapes and UTF-8 in kept tag values, a tag without kept values, an empty tags object of a tagged metric.
  point('checks', '2026-12-05T19:49:39Z', '1', '{"check":"say \\"h\\u00e9\\" \\\\ — ok","op":"Ping"}'),
  point('checks', '2026-12-05T19:49:39Z', '1', '{"check":"données sauvegardées 💾","op":"GetBlob","kind":"verify"}'),
  point('grpc_req_duration', '2026-12-05T19:49:39Z', '3', '{"üñí":"x","op":"Ping"}'),
  point('grpc_req_duration', '2026-12-05T19:49:39Z', '3', '{}'),
  point('grpc_req_duration', '2026-12-05T19:49:39Z', '3', 'null'),
  // Numbers: negative, zero, negative zero, integers, long fractions, exponents (all as JSON allows).
  point('iteration_duration', '2026-12-05T19:49:40Z', '-2.5', '{}'),
  point('iteration_duration', '2026-12-05T19:49:40Z', '0', '{}'),
  point('iteration_duration', '2026-12-05T19:49:40Z', '-0', '{}'),
  point('iteration_duration', '2026-12-05T19:49:40Z', '-0.0', '{}'),
  point('iteration_duration', '2026-12-05T19:49:40Z', '123456789012345', '{}'),
  point('iteration_duration', '2026-12-05T19:49:40Z', '0.1234567890123456789', '{}'),
  point('iteration_duration', '2026-12-05T19:49:40Z', '98765432109876543210.5', '{}'),
  point('iteration_duration', '2026-12-05T19:49:40Z', '1e-7', '{}'),
  point('iteration_duration', '2026-12-05T19:49:40Z', '1.5E+3', '{}'),
  point('iteration_duration', '2026-12-05T19:49:40Z', '-2e2', '{}'),
  point('iteration_duration', '2026-12-05T19:49:40Z', '0.000001', '{}'),
  // Times: other zones than Z, no fraction, one to nine fraction digits, day and year boundaries crossed by the zone.
  point('vus', '2026-11-28T04:01:25.5+01:00', '3', 'null'),
  point('vus', '2026-11-28T03:01:25-05:30', '3', 'null'),
  point('vus', '2026-11-28T03:01:25.000000001+00:00', '3', 'null'),
  point('vus', '2026-01-01T00:30:00.999-00:00', '3', 'null'),
  point('vus', '2027-01-01T00:30:00.12+23:59', '3', 'null'),
  point('vus', '2026-12-31T23:59:59.99-23:59', '3', 'null'),
  point('vus', '2024-02-29T12:00:00.1Z', '3', 'null'),
];

// Lines the fast path leaves to JSON.parse: they must still be read, the same way.
const UNUSUAL_LINES = [
  JSON.stringify({ type: 'Point', metric: 'grpc_req_duration', data: JSON.parse(GRPC_POINT).data }),
  JSON.stringify({ metric: 'checks', type: 'Point', data: { value: 1, time: '2026-12-05T19:49:37Z', tags: { op: 'Ping', check: 'c' } } }),
  '{"metric": "vus", "type": "Point", "data": {"time": "2026-12-05T19:49:37Z", "value": 1, "tags": null}}',
  point('checks', '2026-12-05T19:49:37Z', '1', '{"op":"Ping","size":1024,"kind":"status"}'),
  point('checks', '2026-12-05T19:49:37Z', '1', '{"o\\u0070":"Ping"}'),
  point('grpc_req_duration', '2026-11-28T03:01:25', '1', '{"op":"Ping"}'),
  point('grpc_req_duration', '2026-11-28T24:00:00Z', '1', '{"op":"Ping"}'),
  point('grpc_req_duration', '2026-11-28T03:01:25.5z', '1', '{"op":"Ping"}'),
  point('grpc_req_duration', '2026-11-28T03:01:25+0100', '1', '{"op":"Ping"}'),
  point('gr\\u0070c_req_duration', '2026-11-28T03:01:25Z', '1', '{"op":"Ping"}'),
];

describe('LineParser', () => {
  it('reads metric, time, value and the used tags of a k6 Point line', () => {
    const { kind, point } = parse(GRPC_POINT);
    expect(kind).toBe(LINE_POINT);
    expect(point.metric).toBe('grpc_req_duration');
    expect(point.value).toBeCloseTo(1.861657, 9);
    expect(point.timeMs).toBe(Date.parse('2026-11-28T03:01:25.041Z'));
    expect({ op: point.op, name: point.name, status: point.status }).toEqual({ op: 'Ping', name: '/opensaves.OpenSaves/Ping', status: '5' });
  });

  it.each(K6_SHAPED_LINES)('reads a k6-shaped line without JSON.parse, as JSON.parse does: %s', (line) => {
    const parser = new LineParser();
    const { kind, point } = parse(line, parser);
    expect(kind).toBe(LINE_POINT);
    expect(parser.jsonParsedLines).toBe(0);
    expect(fieldsOf(point)).toEqual(fieldsOf(parseWithJson(line)));
  });

  it.each(UNUSUAL_LINES)('leaves an unusual line to JSON.parse: %s', (line) => {
    const parser = new LineParser();
    const { kind, point } = parse(line, parser);
    expect(kind).toBe(LINE_POINT);
    expect(parser.jsonParsedLines).toBe(1);
    expect(fieldsOf(point)).toEqual(fieldsOf(parseWithJson(line)));
  });

  it('gives the same fields on a long mixed stream, one parser for every line (its caches warm)', () => {
    const parser = new LineParser();
    const fast = new PointFields();
    const lines = Array.from({ length: 20 }, () => [...K6_SHAPED_LINES, ...UNUSUAL_LINES]).flat();
    // Times that move on by one second and one minute, statuses and ops that share a cache bucket.
    for (let i = 0; i < 2000; i++) {
      const second = String(i % 60).padStart(2, '0');
      const minute = String(10 + Math.floor(i / 60)).padStart(2, '0');
      lines.push(point('grpc_req_duration', `2026-12-05T19:${minute}:${second}.${i}Z`, `${i / 7}`, `{"op":"Op${i % 3}","status":"${i % 2 === 0 ? '0' : '5'}"}`));
    }
    for (const line of lines) {
      parser.parseLine(line, fast, TAGGED_METRICS);
      expect(fieldsOf(fast), line).toEqual(fieldsOf(parseWithJson(line)));
    }
  });

  it('reads times with a UTC offset and integer, negative and exponent values', () => {
    const line = (time: string, value: string): string => point('vus', time, value, 'null');
    expect(parse(line('2026-11-28T04:01:25.5+01:00', '3')).point.timeMs).toBe(Date.parse('2026-11-28T03:01:25.500Z'));
    expect(parse(line('2026-11-28T03:01:25Z', '-2.5')).point.value).toBe(-2.5);
    expect(parse(line('2026-11-28T03:01:25Z', '1.5e3')).point.value).toBe(1500);
  });

  it('decodes escaped and UTF-8 tag values', () => {
    const line = '{"metric":"checks","type":"Point","data":{"time":"2026-11-28T03:01:25Z","value":1,"tags":{"check":"say \\"h\\u00e9\\" — ok","group":""}}}';
    expect(parse(line).point.check).toBe('say "hé" — ok');
  });

  it('keeps tag values apart however often their texts meet in the caches', () => {
    // Same length and the same sampled characters: the texts share a cache bucket and take turns in it.
    const values = ['aXbYc', 'aQbZc', 'aXbYc', 'aQbZc', 'a-b-c'];
    const parser = new LineParser();
    const fields = new PointFields();
    const seen = values.map((op) => {
      parser.parseLine(point('grpc_req_duration', '2026-11-28T03:01:25Z', '1', `{"op":"${op}","status":"0"}`), fields, TAGGED_METRICS);
      return fields.op;
    });
    expect(seen).toEqual(values);
  });

  it('clears the tags of the previous line, also for a metric whose tags are not read', () => {
    const parser = new LineParser();
    const fields = new PointFields();
    parser.parseLine(GRPC_POINT, fields, TAGGED_METRICS);
    parser.parseLine(point('data_sent', '2026-11-28T03:01:25Z', '1', '{"op":"Ping","status":"0"}'), fields, TAGGED_METRICS);
    expect([fields.op, fields.status, fields.name]).toEqual(['', '', '']);
  });

  it('parses Metric declarations with their thresholds', () => {
    const { kind, point } = parse(
      '{"type":"Metric","data":{"name":"checks","type":"rate","contains":"default","thresholds":["rate>0.5"],"submetrics":null},"metric":"checks"}',
    );
    expect(kind).toBe(LINE_DECLARATION);
    expect(point.declaration).toEqual({ name: 'checks', type: 'rate', contains: 'default', thresholds: ['rate>0.5'] });
  });

  it('treats an empty line as blank', () => {
    expect(parse('').kind).toBe(LINE_BLANK);
  });

  it.each([
    ['a truncated line', GRPC_POINT.slice(0, 120)],
    ['a line cut inside its tags', GRPC_POINT.slice(0, -30) + '}}'],
    ['two lines run together', GRPC_POINT + GRPC_POINT],
    ['JSON that is not k6 output', '{"hello":"world"}'],
    ['a Point without a time', '{"metric":"vus","type":"Point","data":{"value":1,"tags":null}}'],
    ['a Point with a text value', point('vus', '2026-11-28T03:01:25Z', '"1"', 'null')],
    ['a value with a leading zero', point('vus', '2026-11-28T03:01:25Z', '01', 'null')],
    ['a value ending in a point', point('vus', '2026-11-28T03:01:25Z', '1.', 'null')],
    ['a bare minus sign', point('vus', '2026-11-28T03:01:25Z', '-', 'null')],
    ['an exponent without digits', point('vus', '2026-11-28T03:01:25Z', '1e', 'null')],
    ['a time that is no date', point('vus', '2026-13-28T03:01:25Z', '1', 'null')],
    ['a time with a fraction point and no digits', point('vus', '2026-11-28T03:01:25.Z', '1', 'null')],
    ['an invalid escape in a tag', point('checks', '2026-11-28T03:01:25Z', '1', '{"check":"a\\qb"}')],
    ['plain text', 'k6 run finished'],
  ])('rejects %s with a LineError', (_name, line) => {
    expect(() => parse(line)).toThrow(LineError);
  });
});
