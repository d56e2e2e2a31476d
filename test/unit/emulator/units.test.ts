// Plain-function units of the emulator: flag parsing, fault decisions, checksums,
// the JSON property mapping and the cache, without a socket.
import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../../emulator/state/cache.js';
import { crc32c } from '../../../proto/crc32c.js';
import { parseArgs } from '../../../emulator/cli-args.js';
import { ConfigError } from '../../../emulator/errors.js';
import { FaultInjector, NO_FAULT } from '../../../emulator/faults.js';
import { propertyFromJson, propertyToJson } from '../../../emulator/http/json-properties.js';

describe('parseArgs', () => {
  it('uses the defaults without flags', () => {
    const parsed = parseArgs([]);
    expect(parsed).toMatchObject({ help: false, options: { grpcPort: 6000, httpPort: 8080, maxBytes: 1024 ** 3, shutdownGraceMs: 0 } });
  });

  it('reads every flag, with = or a separate value', () => {
    const parsed = parseArgs([
      '--grpc-port=0',
      '--http-port',
      '9090',
      '--host',
      '127.0.0.2',
      '--max-bytes',
      '64m',
      '--error-rate',
      '0.2,GetRecord=0.5',
      '--latency-ms',
      'Ping=3',
      '--latency-jitter-ms',
      '2',
    ]);
    if (parsed.help) throw new Error('unexpected help');
    expect(parsed.options).toMatchObject({ grpcPort: 0, httpPort: 9090, host: '127.0.0.2', maxBytes: 64 * 1024 * 1024 });
    expect(parsed.options.faults!.errorRate.all).toBe(0.2);
    expect(parsed.options.faults!.errorRate.perMethod.get('GetRecord')).toBe(0.5);
    expect(parsed.options.faults!.latencyMs.perMethod.get('Ping')).toBe(3);
    expect(parsed.options.faults!.latencyJitterMs.all).toBe(2);
  });

  it('recognises --help', () => {
    expect(parseArgs(['--grpc-port', '1', '--help'])).toEqual({ help: true });
  });

  it.each([
    [['--grpc-port', 'abc'], /invalid --grpc-port; reason: expected a port number in 0\.\.65535, got `abc`/],
    [['--http-port', '70000'], /invalid --http-port/],
    [['--max-bytes', '-1'], /invalid --max-bytes; reason: expected a positive number of bytes/],
    [['--error-rate', '1.5'], /invalid --error-rate; reason: expected a fraction in \[0, 1\], got `1\.5`/],
    [['--error-rate', 'NoSuchRpc=0.1'], /got `NoSuchRpc`/],
    [['--latency-ms', 'GetRecord=-3'], /invalid --latency-ms for GetRecord/],
    [['--verbose'], /unknown option `--verbose`/],
    [['--grpc-port'], /invalid --grpc-port; reason: expected a value after it/],
  ])('rejects %j with a message naming the flag', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(ConfigError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('FaultInjector', () => {
  it('is inactive and never delays or fails without faults', () => {
    const injector = new FaultInjector();
    expect(injector.active).toBe(false);
    expect(injector.decide('GetRecord')).toEqual({ delayMs: 0, fail: false });
  });

  it('uses the per-method value over the global one, and the random source for rate and jitter', () => {
    const injector = new FaultInjector(
      {
        latencyMs: { all: 10, perMethod: new Map([['Ping', 0]]) },
        latencyJitterMs: { all: 4, perMethod: new Map() },
        errorRate: { all: 0.5, perMethod: new Map([['Ping', 0]]) },
      },
      () => 0.25,
    );
    expect(injector.decide('GetRecord')).toEqual({ delayMs: 11, fail: true });
    expect(injector.decide('Ping')).toEqual({ delayMs: 1, fail: false });
    const never = new FaultInjector({ latencyMs: NO_FAULT, latencyJitterMs: NO_FAULT, errorRate: { all: 0.5, perMethod: new Map() } }, () => 0.75);
    expect(never.decide('GetRecord').fail).toBe(false);
  });
});

describe('crc32c', () => {
  it('matches the CRC-32C check value and continues incrementally', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.from('6789'), crc32c(Buffer.from('12345')))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });
});

describe('JSON property mapping', () => {
  it.each([
    ['a string', 'x', { type: 'STRING', value: 'x' }],
    ['a boolean', true, { type: 'BOOLEAN', value: true }],
    ['a safe integer', -12, { type: 'INTEGER', value: -12n }],
    ['a typed string', { type: 'STRING', string_value: 'abc' }, { type: 'STRING', value: 'abc' }],
    ['a fraction', 1.25, { type: 'STRING', value: '1.25' }],
    ['null', null, { type: 'STRING', value: 'null' }],
    ['an object that is not typed-shaped', { type: 'INTEGER', other: 1 }, { type: 'STRING', value: '{"type":"INTEGER","other":1}' }],
  ])('maps %s onto the typed model and back to the same JSON', (_, json, expected) => {
    const property = propertyFromJson(json);
    expect(property).toMatchObject(expected);
    expect(propertyToJson(property)).toEqual(json);
  });

  it('reads a typed integer given as a decimal string and writes it back as a number', () => {
    const property = propertyFromJson({ type: 'INTEGER', integer_value: '77' });
    expect(property).toMatchObject({ type: 'INTEGER', value: 77n });
    expect(propertyToJson(property)).toEqual({ type: 'INTEGER', integer_value: 77 });
  });
});

describe('TtlCache', () => {
  it('expires entries after the TTL and evicts the oldest when full', () => {
    let now = 0;
    const cache = new TtlCache<number>(100, 2, () => now);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.has('a')).toBe(false);
    expect(cache.has('b')).toBe(true);
    now = 150;
    expect(cache.get('b')).toBeUndefined();
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 1 });
  });
});
