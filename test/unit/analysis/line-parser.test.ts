import { describe, expect, it } from 'vitest';
import { PointFields } from '../../../analysis/src/aggregate/point.js';
import { LINE_BLANK, LINE_DECLARATION, LINE_POINT, LineError, LineParser } from '../../../analysis/src/input/line-parser.js';
import { TAGGED_METRICS } from '../../../analysis/src/aggregate/aggregate.js';

function parse(line: string): { kind: number; point: PointFields } {
  const point = new PointFields();
  const kind = new LineParser().parse(line, 0, line.length, point, TAGGED_METRICS);
  return { kind, point };
}

const GRPC_POINT =
  '{"metric":"grpc_req_duration","type":"Point","data":{"time":"2026-11-28T03:01:25.041574490Z","value":1.861657,"tags":{"group":"","method":"Ping","name":"/opensaves.OpenSaves/Ping","op":"Ping","scenario":"a","service":"opensaves.OpenSaves","status":"5","url":"127.0.0.1:36219/opensaves.OpenSaves/Ping"}}}';

describe('LineParser', () => {
  it('reads metric, time, value and the used tags of a k6 Point line', () => {
    const { kind, point } = parse(GRPC_POINT);
    expect(kind).toBe(LINE_POINT);
    expect(point.metric).toBe('grpc_req_duration');
    expect(point.value).toBeCloseTo(1.861657, 9);
    expect(point.timeMs).toBe(Date.parse('2026-11-28T03:01:25.041Z'));
    expect({ op: point.op, name: point.name, status: point.status }).toEqual({ op: 'Ping', name: '/opensaves.OpenSaves/Ping', status: '5' });
  });

  it('gives the same fields whether the line takes the fast path or JSON.parse (reordered keys)', () => {
    const reordered = JSON.stringify({ type: 'Point', metric: 'grpc_req_duration', data: JSON.parse(GRPC_POINT).data });
    const fast = parse(GRPC_POINT).point;
    const slow = parse(reordered).point;
    expect([slow.metric, slow.timeMs, slow.value, slow.op, slow.status, slow.name]).toEqual([fast.metric, fast.timeMs, fast.value, fast.op, fast.status, fast.name]);
  });

  it('reads times with a UTC offset and integer, negative and exponent values', () => {
    const line = (time: string, value: string): string =>
      `{"metric":"vus","type":"Point","data":{"time":"${time}","value":${value},"tags":null}}`;
    expect(parse(line('2026-11-28T04:01:25.5+01:00', '3')).point.timeMs).toBe(Date.parse('2026-11-28T03:01:25.500Z'));
    expect(parse(line('2026-11-28T03:01:25Z', '-2.5')).point.value).toBe(-2.5);
    expect(parse(line('2026-11-28T03:01:25Z', '1.5e3')).point.value).toBe(1500);
  });

  it('decodes escaped and UTF-8 tag values', () => {
    const line = '{"metric":"checks","type":"Point","data":{"time":"2026-11-28T03:01:25Z","value":1,"tags":{"check":"say \\"h\\u00e9\\" — ok","group":""}}}';
    // The reader hands lines over decoded as latin1; emulate that for the UTF-8 dash.
    const latin1 = Buffer.from(line, 'utf8').toString('latin1');
    const point = new PointFields();
    new LineParser().parse(latin1, 0, latin1.length, point, TAGGED_METRICS);
    expect(point.check).toBe('say "hé" — ok');
  });

  it('keeps tag values apart however often their texts meet in the cache of recent strings', () => {
    // Same length and same first, middle and last characters: the texts share a cache slot and evict each other.
    const values = ['aXbYc', 'aQbZc', 'aXbYc', 'aQbZc', 'a-b-c'];
    const parser = new LineParser();
    const point = new PointFields();
    const seen = values.map((op) => {
      const line = `{"metric":"grpc_req_duration","type":"Point","data":{"time":"2026-11-28T03:01:25Z","value":1,"tags":{"op":"${op}","status":"0"}}}`;
      parser.parse(line, 0, line.length, point, TAGGED_METRICS);
      return point.op;
    });
    expect(seen).toEqual(values);
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
    ['two lines run together', GRPC_POINT + GRPC_POINT],
    ['JSON that is not k6 output', '{"hello":"world"}'],
    ['a Point without a time', '{"metric":"vus","type":"Point","data":{"value":1,"tags":null}}'],
    ['a Point with a text value', '{"metric":"vus","type":"Point","data":{"time":"2026-11-28T03:01:25Z","value":"1","tags":null}}'],
    ['plain text', 'k6 run finished'],
  ])('rejects %s with a LineError', (_name, line) => {
    expect(() => parse(line)).toThrow(LineError);
  });
});
