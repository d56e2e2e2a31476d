// The WAF rate rule: per-address counting over a trailing window (fake clock), the
// CloudFront 403 answer over real HTTP, its exemptions and counters, and the flags.
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../../emulator/cli-args.js';
import { ManualClock } from '../../../../emulator/model/clock.js';
import { WafRateRule, normaliseAddress } from '../../../../emulator/model/waf.js';
import { startServer, type ServerHandle } from '../../../../emulator/server.js';
import { TestClient } from '../support/client.js';

let server: ServerHandle | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('WafRateRule', () => {
  it('blocks an address past the limit within the window and lets it through once the window has passed', () => {
    const clock = new ManualClock();
    const rule = new WafRateRule({ limit: 3, windowSeconds: 10 }, clock);
    expect([rule.blocks('10.0.0.1'), rule.blocks('10.0.0.1'), rule.blocks('10.0.0.1')]).toEqual([false, false, false]);
    expect(rule.blocks('10.0.0.1')).toBe(true);
    // Another address has its own count.
    expect(rule.blocks('10.0.0.2')).toBe(false);
    clock.advance(9_000);
    // Blocked requests count too: 4 in the window, still over.
    expect(rule.blocks('10.0.0.1')).toBe(true);
    clock.advance(1_000);
    // The first second's 4 requests left the window; 1 remains, plus this one.
    expect(rule.blocks('10.0.0.1')).toBe(false);
    expect(rule.countFor('10.0.0.1')).toBe(2);
    expect(rule.blockedByAddress.get('10.0.0.1')).toBe(2);
    expect(rule.takeSecondTotals()).toEqual({ allowed: 5, blocked: 2 });
    expect(rule.takeSecondTotals()).toEqual({ allowed: 0, blocked: 0 });
  });

  it('counts an IPv4 client on a dual-stack socket under its IPv4 address', () => {
    expect(normaliseAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normaliseAddress('::1')).toBe('::1');
  });
});

describe('--waf-limit over HTTP', () => {
  it('answers the N+1th request with CloudFront\'s WAF block and passes again after the window', async () => {
    const clock = new ManualClock(Date.now());
    server = await startServer({ grpcPort: 0, httpPort: 0, capacity: { waf: { limit: 4, windowSeconds: 10 }, clock } });
    const url = `${server.httpUrl}/api/stores`;
    for (let i = 0; i < 4; i++) expect((await fetch(url)).status).toBe(200);
    // Probes are never counted nor blocked.
    expect((await fetch(`${server.httpUrl}/health`)).status).toBe(200);
    expect((await fetch(`${server.httpUrl}/metrics`)).status).toBe(200);

    const blocked = await fetch(url);
    expect(blocked.status).toBe(403);
    expect(blocked.headers.get('server')).toBe('CloudFront');
    expect(blocked.headers.get('x-cache')).toBe('Error from cloudfront');
    expect(blocked.headers.get('via')).toMatch(/^1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
    expect(blocked.headers.get('x-amz-cf-pop')).toMatch(/^[A-Z]{3}\d+-[A-Z]\d+$/);
    const cfId = blocked.headers.get('x-amz-cf-id');
    expect(cfId).toMatch(/^[A-Za-z0-9_-]{54}==$/);
    expect(blocked.headers.get('content-type')).toBe('text/html');
    const body = await blocked.text();
    expect(body).toContain('<H1>403 ERROR</H1>');
    expect(body).toContain('The request could not be satisfied.');
    expect(body).toContain('Request blocked.');
    expect(body).toContain(`Request ID: ${cfId}`);
    // A blocked address is blocked on every route, including unknown paths and writes.
    expect((await fetch(`${server.httpUrl}/api/stores`, { method: 'POST', body: '{"store_id":"s"}' })).status).toBe(403);
    expect(server.state.stores.size).toBe(0);

    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^opensaves_waf_blocked_requests_total\{address="127\.0\.0\.1"\} 2$/m);
    expect(metrics).toMatch(/^opensaves_waf_allowed_requests_total 4$/m);
    expect(metrics).toMatch(/^opensaves_http_requests_total\{route="GET \/api\/stores",status="403"\} 1$/m);

    clock.advance(10_000);
    expect((await fetch(url)).status).toBe(200);
  });

  it('leaves gRPC alone: CloudFront fronts only the HTTP API', async () => {
    const clock = new ManualClock(Date.now());
    server = await startServer({ grpcPort: 0, httpPort: 0, capacity: { waf: { limit: 1, windowSeconds: 10 }, clock } });
    expect(server.gate?.waf?.settings).toEqual({ limit: 1, windowSeconds: 10 });
    expect((await fetch(`${server.httpUrl}/api/stores`)).status).toBe(200);
    expect((await fetch(`${server.httpUrl}/api/stores`)).status).toBe(403);
    const client = new TestClient(server.grpcAddress);
    try {
      for (let i = 0; i < 3; i++) expect(await client.unary('Ping', { ping: 'p' })).toEqual({ pong: 'p' });
    } finally {
      client.close();
    }
  });
});

describe('WAF flags', () => {
  const optionsOf = (...args: string[]) => {
    const result = parseArgs(args);
    if (result.help) throw new Error('unexpected help');
    return result.options;
  };

  it('parses --waf-limit with the port\'s 300 s window by default, or the one given', () => {
    expect(optionsOf('--waf-limit', '2000').capacity?.waf).toEqual({ limit: 2000, windowSeconds: 300 });
    expect(optionsOf('--waf-limit=50', '--waf-window-s', '10').capacity?.waf).toEqual({ limit: 50, windowSeconds: 10 });
    expect(optionsOf().capacity).toBeUndefined();
  });

  it('names the flag, the expected form and the value for bad input', () => {
    expect(() => optionsOf('--waf-limit', '0')).toThrow('invalid --waf-limit; reason: expected an integer >= 1, got `0`');
    expect(() => optionsOf('--waf-limit', '2k')).toThrow('invalid --waf-limit; reason: expected an integer >= 1, got `2k`');
    expect(() => optionsOf('--waf-limit', '5', '--waf-window-s', '-1')).toThrow('invalid --waf-window-s; reason: expected an integer >= 1, got `-1`');
    expect(() => optionsOf('--waf-window-s', '10')).toThrow(/invalid --waf-window-s; reason: expected --waf-limit N as well/);
  });
});
