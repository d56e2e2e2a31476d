// --read-lag-ms: HTTP reads are eventually consistent, as the AWS port's DynamoDB reads
// (no ConsistentRead): each read of each item sees it as it was at a moment in the last N ms.
// gRPC stays strongly consistent. Most tests pin the histories' clock and random source, so
// "a moment N/2 ago" is exact; one uses the real clock and waits past the lag.
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../emulator/cli-args.js';
import { LaggedHistory } from '../../../emulator/state/read-lag.js';
import type { State } from '../../../emulator/state/state.js';
import { failure, startTestEmulator, uniqueKey, type TestEmulator } from './support/client.js';

let emulator: TestEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

/** A hand-driven clock and lag for every history of the state. */
function pinReadLag(state: State): { at(ms: number): void; lagFraction(fraction: number): void } {
  const lag = state.readLag;
  if (!lag) throw new Error('the emulator was started without --read-lag-ms');
  let now = 0;
  let fraction = 0;
  for (const history of [lag.stores, lag.records, lag.metadata]) {
    history.now = () => now;
    history.random = () => fraction;
  }
  return { at: (ms) => (now = ms), lagFraction: (value) => (fraction = value) };
}

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${emulator!.server.httpUrl}${path}`, {
    method,
    body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: response.headers.get('content-type') === 'application/json' ? JSON.parse(text) : undefined };
}

const LAG = 1000;

describe('HTTP reads with --read-lag-ms (pinned clock)', () => {
  it('a read may miss a create, show the state before an update, and still find a deleted record', async () => {
    emulator = await startTestEmulator({ readLagMs: LAG });
    const clock = pinReadLag(emulator.server.state);
    const storeId = uniqueKey('lstore');
    const path = `/api/stores/${storeId}/records/r1`;
    clock.at(1_000);
    expect((await call('POST', '/api/stores', { store_id: storeId })).status).toBe(201);
    clock.at(3_000);
    expect((await call('POST', `/api/stores/${storeId}/records`, { record_id: 'r1', properties: { v: 1 } })).status).toBe(201);

    clock.lagFraction(0.5); // the read sees 2500: before the create
    expect((await call('GET', path)).status).toBe(404);
    expect((await call('GET', `/api/stores/${storeId}/records`)).json.records).toEqual([]);
    clock.lagFraction(0); // the read sees now
    expect((await call('GET', path)).json.properties).toEqual({ v: 1 });

    clock.at(5_000);
    expect((await call('PUT', path, { properties: { v: 2 } })).status).toBe(200);
    clock.lagFraction(0.5);
    expect((await call('GET', path)).json.properties).toEqual({ v: 1 });
    expect((await call('GET', `/api/stores/${storeId}/records`)).json.records[0].properties).toEqual({ v: 1 });
    clock.lagFraction(0);
    expect((await call('GET', path)).json.properties).toEqual({ v: 2 });

    clock.at(7_000);
    expect((await call('DELETE', path)).status).toBe(204);
    clock.lagFraction(0.5);
    expect((await call('GET', path)).json.properties).toEqual({ v: 2 });
    expect((await call('GET', `/api/stores/${storeId}/records`)).json.records).toHaveLength(1);
    clock.lagFraction(0);
    expect((await call('GET', path)).status).toBe(404);
    const metrics = await (await fetch(`${emulator.server.httpUrl}/metrics`)).text();
    // 404, empty list, old v, old v in the list, v2 after delete, the list after delete: six stale reads so far.
    expect(metrics).toMatch(/^opensaves_http_stale_reads_total 6$/m);
    expect(metrics).toMatch(/^opensaves_read_lag_states [1-9]\d*$/m);

    // Past the lag every read is current, and nothing of the past is kept.
    clock.at(8_001);
    clock.lagFraction(0.999);
    expect((await call('GET', path)).status).toBe(404);
    expect((await call('GET', `/api/stores/${storeId}`)).status).toBe(200);
    const lag = emulator.server.state.readLag!;
    expect(lag.records.size + lag.stores.size).toBe(0);
  });

  it('gRPC reads stay strongly consistent whatever the lag', async () => {
    emulator = await startTestEmulator({ readLagMs: LAG });
    const clock = pinReadLag(emulator.server.state);
    clock.lagFraction(0.999);
    const storeId = uniqueKey('gstore');
    clock.at(1_000);
    expect((await call('POST', '/api/stores', { store_id: storeId })).status).toBe(201);
    // HTTP does not see the store yet; gRPC does.
    expect((await call('GET', `/api/stores/${storeId}`)).status).toBe(404);
    await expect(emulator.client.unary('GetStore', { key: storeId })).resolves.toMatchObject({ key: storeId });
    await emulator.client.unary('CreateRecord', { storeKey: storeId, record: { key: 'g' } });
    await expect(emulator.client.unary('GetRecord', { storeKey: storeId, key: 'g' })).resolves.toMatchObject({ key: 'g' });
    await emulator.client.unary('DeleteRecord', { storeKey: storeId, key: 'g' });
    expect((await failure(emulator.client.unary('GetRecord', { storeKey: storeId, key: 'g' }))).code).toBe(status.NOT_FOUND);
    // A gRPC write is seen late over HTTP, as the same item is read from DynamoDB there.
    clock.at(3_000);
    await emulator.client.unary('CreateRecord', { storeKey: storeId, record: { key: 'h' } });
    expect((await call('GET', `/api/stores/${storeId}/records/h`)).status).toBe(404);
    clock.lagFraction(0);
    expect((await call('GET', `/api/stores/${storeId}/records/h`)).status).toBe(200);
  });

  it('writes that read first act on what they read, as the port does', async () => {
    emulator = await startTestEmulator({ readLagMs: LAG });
    const clock = pinReadLag(emulator.server.state);
    const storeId = uniqueKey('wstore');
    clock.at(1_000);
    await call('POST', '/api/stores', { store_id: storeId });
    // Right after the store's create, a record create may not find it.
    clock.lagFraction(0.5);
    expect((await call('POST', `/api/stores/${storeId}/records`, { record_id: 'early' })).status).toBe(404);
    // A second create of the store may pass the existence read, then fail on the conditional put.
    expect((await call('POST', '/api/stores', { store_id: storeId })).status).toBe(500);

    clock.at(3_000);
    clock.lagFraction(0);
    await call('POST', `/api/stores/${storeId}/records`, { record_id: 'r', properties: { v: 1 } });
    const path = `/api/stores/${storeId}/records/r`;
    clock.at(5_000);
    await call('PUT', path, { properties: { v: 2 } });
    // A blob PUT that reads the record before that update writes its old properties back.
    clock.lagFraction(0.5);
    expect((await call('PUT', `${path}/blobs/b1`, Buffer.from('abc'))).status).toBe(200);
    const record = emulator.server.state.getRecord(storeId, 'r')!;
    expect(Object.fromEntries([...record.properties].map(([name, p]) => [name, p.value]))).toEqual({ v: 1n });
    expect([...record.namedBlobs!.keys()]).toEqual(['b1']);

    // A PUT without properties that read a deleted record: the conditional update fails.
    clock.at(7_000);
    await call('DELETE', path);
    expect((await call('PUT', path, { tags: ['t'] })).status).toBe(500);
  });

  it('a blob PUT whose read missed a just-listed blob drops it from blob_keys; its object stays, unlisted', async () => {
    emulator = await startTestEmulator({ readLagMs: LAG });
    const clock = pinReadLag(emulator.server.state);
    const storeId = uniqueKey('bstore');
    clock.at(1_000);
    await call('POST', '/api/stores', { store_id: storeId });
    await call('POST', `/api/stores/${storeId}/records`, { record_id: 'r' });
    const path = `/api/stores/${storeId}/records/r`;
    clock.at(5_000);
    expect((await call('PUT', `${path}/blobs/b1`, Buffer.from('one'))).status).toBe(200);
    clock.lagFraction(0.5); // reads see 4500: before b1 was listed
    expect((await call('PUT', `${path}/blobs/b2`, Buffer.from('two'))).status).toBe(200);
    clock.lagFraction(0);
    expect((await call('GET', `${path}/blobs`)).json).toEqual(['b2']);
    const blob = await fetch(`${emulator.server.httpUrl}${path}/blobs/b1`);
    expect(await blob.text()).toBe('one');
    expect(emulator.server.state.orphanedBlobs.size).toBe(1);
    // Deleting it by name removes the object, as the port's S3 delete does.
    expect((await call('DELETE', `${path}/blobs/b1`)).status).toBe(204);
    expect(emulator.server.state.orphanedBlobs.size).toBe(0);
    expect(emulator.server.state.blobBytes).toBe(3);
  });

  it('a store delete sweeps only the records its lagged query sees', async () => {
    emulator = await startTestEmulator({ readLagMs: LAG });
    const clock = pinReadLag(emulator.server.state);
    const storeId = uniqueKey('dstore');
    clock.at(1_000);
    await call('POST', '/api/stores', { store_id: storeId });
    await call('POST', `/api/stores/${storeId}/records`, { record_id: 'old' });
    clock.at(3_000);
    await call('POST', `/api/stores/${storeId}/records`, { record_id: 'new' });
    clock.lagFraction(0.5); // the sweep sees 2500: "old" only
    expect((await call('DELETE', `/api/stores/${storeId}`)).status).toBe(204);
    expect(emulator.server.state.getRecord(storeId, 'old')).toBeUndefined();
    expect(emulator.server.state.getRecord(storeId, 'new')).toBeDefined();
    expect(emulator.server.state.recordCount).toBe(1);
  });

  it('metadata reads lag too', async () => {
    emulator = await startTestEmulator({ readLagMs: LAG });
    const clock = pinReadLag(emulator.server.state);
    clock.at(1_000);
    expect((await call('POST', '/api/metadata/kind/one', { a: 1 })).status).toBe(200);
    clock.lagFraction(0.5);
    expect((await call('GET', '/api/metadata/kind/one')).status).toBe(404);
    clock.lagFraction(0);
    expect((await call('GET', '/api/metadata/kind/one')).json).toEqual({ a: 1 });
  });
});

describe('HTTP reads with --read-lag-ms (real clock)', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('a create-then-read sometimes sees 404, and after waiting past the lag always the record', async () => {
    const lagMs = 400;
    emulator = await startTestEmulator({ readLagMs: lagMs });
    const storeId = uniqueKey('rstore');
    await call('POST', '/api/stores', { store_id: storeId });
    await sleep(lagMs + 50);
    expect((await call('POST', `/api/stores/${storeId}/records`, { record_id: 'r' })).status).toBe(201);
    const soon: number[] = [];
    for (let i = 0; i < 30; i++) soon.push((await call('GET', `/api/stores/${storeId}/records/r`)).status);
    expect(soon).toContain(404);
    expect(soon.every((code) => code === 404 || code === 200)).toBe(true);
    await sleep(lagMs + 50);
    const later: number[] = [];
    for (let i = 0; i < 30; i++) later.push((await call('GET', `/api/stores/${storeId}/records/r`)).status);
    expect(later.every((code) => code === 200)).toBe(true);
  });

  it('without the flag there is no history and reads are current', async () => {
    emulator = await startTestEmulator();
    expect(emulator.server.state.readLag).toBeNull();
    const storeId = uniqueKey('cstore');
    await call('POST', '/api/stores', { store_id: storeId });
    expect((await call('POST', `/api/stores/${storeId}/records`, { record_id: 'r' })).status).toBe(201);
    expect((await call('GET', `/api/stores/${storeId}/records/r`)).status).toBe(200);
  });
});

describe('LaggedHistory', () => {
  function history(lagMs: number) {
    const h = new LaggedHistory<string>(lagMs);
    let now = 0;
    let fraction = 0;
    h.now = () => now;
    h.random = () => fraction;
    return { h, at: (ms: number) => (now = ms), lag: (value: number) => (fraction = value) };
  }

  it('returns the state of the chosen moment', () => {
    const { h, at, lag } = history(1000);
    at(100);
    h.changing('g', 'k', undefined); // created at 100 as v1
    at(200);
    h.changing('g', 'k', 'v1'); // updated at 200 to v2
    at(250);
    lag(0.01); // 240
    expect(h.read('g', 'k', 'v2')).toBe('v2');
    lag(0.1); // 150
    expect(h.read('g', 'k', 'v2')).toBe('v1');
    lag(0.2); // 50
    expect(h.read('g', 'k', 'v2')).toBeUndefined();
    expect([...h.recentKeys('g')]).toEqual(['k']);
    expect(h.read('other', 'k', 'live')).toBe('live');
  });

  it('keeps only what a read can still reach: memory stays bounded under a long stream of writes', () => {
    const { h, at } = history(10);
    let largest = 0;
    for (let t = 0; t < 100_000; t++) {
      at(t);
      h.changing('g', `key-${t % 1000}`, String(t));
      largest = Math.max(largest, h.size);
    }
    // One write per ms with a 10 ms lag: at most the last 10 or 11 states are kept.
    expect(largest).toBeLessThanOrEqual(11);
    at(200_000);
    expect([...h.recentKeys('g')]).toEqual([]);
    expect(h.size).toBe(0);
  });
});

describe('the --read-lag-ms flag', () => {
  it('parses an integer >= 0 and rejects anything else', () => {
    expect(parseArgs(['--read-lag-ms', '250'])).toMatchObject({ options: { readLagMs: 250 } });
    expect(parseArgs([])).toMatchObject({ options: { readLagMs: 0 } });
    for (const bad of ['-1', '1.5', 'soon', '', '60001']) {
      expect(() => parseArgs(['--read-lag-ms', bad])).toThrow(`invalid --read-lag-ms; reason: expected an integer number of ms in 0..60000, got \`${bad}\``);
    }
  });
});
