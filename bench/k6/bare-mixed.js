// The baseline of the mixed benchmark: the default mix (data/mix.json) written
// by hand with k6's gRPC module, as a careful engineer would write it without
// this kit. Plain JavaScript, no bundling, one connection per VU. It makes the
// same RPCs per operation as dist/mixed.js (an UpdateRecord reads the record
// back, a DeleteRecord asks whether it is gone, ...) with the same weights,
// READ_RATIO and blob sizes, and checks what a hand-written script checks: each
// call's status, and the few facts that are one comparison away (a batch's
// result count, a download's byte count).
//
//   k6 run -e OPEN_SAVES_ADDR=127.0.0.1:6000 -e RATE=50 -e DURATION=30s bench/k6/bare-mixed.js
//
// MIX=<path> reads other weights (the same JSON form as data/mix.json), READ_RATIO
// and BLOB_SIZES (e.g. 1KB,100KB,1MB,10MB) as the bundles read them, MAX_VUS caps VUs.
import grpc from 'k6/net/grpc';
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import { check } from 'k6';

const ADDR = __ENV.OPEN_SAVES_ADDR || '127.0.0.1:6000';
const RATE = positiveInteger('RATE', __ENV.RATE || '50');
const DURATION = __ENV.DURATION || '30s';
const MAX_VUS = positiveInteger('MAX_VUS', __ENV.MAX_VUS || '50');
const READ_RATIO = ratio('READ_RATIO', __ENV.READ_RATIO || '0.8');
const BLOB_SIZES = (__ENV.BLOB_SIZES || '1KB,100KB,1MB,10MB').split(',').map(byteSize);
const MIX = JSON.parse(open(__ENV.MIX || '../../data/mix.json'));
const RECORDS_PER_STORE = 20;
const CHUNK_BYTES = 16384;
const CHUNKS = 3;
const PIECE_BYTES = 1048576;
const OWN_RECORDS_KEPT = 16;
const COLD_COUNTERS = 16;

function positiveInteger(name, raw) {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`invalid ${name}; reason: expected integer >= 1, got \`${raw}\``);
  return value;
}

function ratio(name, raw) {
  const value = Number(raw);
  if (!(value >= 0 && value <= 1)) throw new Error(`invalid ${name}; reason: expected a number from 0 to 1, got \`${raw}\``);
  return value;
}

function byteSize(raw) {
  const match = /^(\d+)(B|KB|MB)$/.exec(raw.trim());
  if (!match) throw new Error(`invalid BLOB_SIZES; reason: expected sizes such as 1KB,100KB,1MB, got \`${raw}\``);
  return Number(match[1]) * { B: 1, KB: 1024, MB: 1048576 }[match[2]];
}

const client = new grpc.Client();
client.load(['../../proto'], 'open_saves.proto');

export const options = {
  scenarios: {
    mixed: {
      executor: 'ramping-arrival-rate',
      startRate: 0,
      timeUnit: '1s',
      stages: [
        { duration: '1s', target: RATE },
        { duration: DURATION, target: RATE },
      ],
      preAllocatedVUs: Math.min(MAX_VUS, Math.max(2, Math.ceil(RATE / 5))),
      maxVUs: MAX_VUS,
    },
  },
};

// Payloads: one random 1 MiB piece, sent as many times as a size needs, plus a tail.
const piece = crypto.randomBytes(PIECE_BYTES);
const pieceBase64 = encoding.b64encode(piece);
function payload(size) {
  const pieces = [];
  const md5 = crypto.createHash('md5');
  for (let sent = 0; sent + PIECE_BYTES <= size; sent += PIECE_BYTES) {
    pieces.push(pieceBase64);
    md5.update(piece);
  }
  const tail = size % PIECE_BYTES;
  if (tail > 0) {
    const bytes = piece.slice(0, tail);
    pieces.push(encoding.b64encode(bytes));
    md5.update(bytes);
  }
  return { size, pieces, md5: md5.digest('base64') };
}
const payloads = BLOB_SIZES.map(payload);
const chunkPayload = payload(CHUNK_BYTES);

function picker(weights) {
  const entries = Object.entries(weights).filter(([, weight]) => weight > 0);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  return () => {
    let roll = Math.random() * total;
    for (const [op, weight] of entries) {
      roll -= weight;
      if (roll < 0) return op;
    }
    return entries[entries.length - 1][0];
  };
}
const pickRead = picker(MIX.read);
const pickWrite = picker(MIX.write);
const pick = (items) => items[Math.floor(Math.random() * items.length)];

const TAGS = ['slot:auto', 'slot:manual', 'slot:quick', 'platform:pc', 'platform:console', 'mode:campaign', 'mode:coop'];
const CHAPTERS = ['prologue', 'harbor', 'mines', 'citadel', 'epilogue'];
const DIFFICULTIES = ['story', 'normal', 'hard', 'nightmare'];

function save(key, n, version) {
  return {
    key,
    ownerId: `owner-${n % 50}`,
    tags: [TAGS[n % 7], TAGS[(n + 3) % 7]],
    properties: {
      level: { type: 'INTEGER', integerValue: String(1 + ((n + version) % 99)) },
      playtime_s: { type: 'INTEGER', integerValue: String((n * 977 + version) % 360000) },
      gold: { type: 'INTEGER', integerValue: String((n * 7919 + version) % 1000000) },
      chapter: { type: 'STRING', stringValue: CHAPTERS[(n + version) % 5] },
      difficulty: { type: 'STRING', stringValue: DIFFICULTIES[n % 4] },
      hardcore: { type: 'BOOLEAN', booleanValue: n % 2 === 1 },
    },
    opaqueString: `save:${n}:${version};`.repeat(30).slice(0, 256),
  };
}

const M = 'opensaves.OpenSaves/';
const ok = (response) => response && response.status === grpc.StatusOK;

function call(op, request, expected) {
  const response = client.invoke(M + op, request, { tags: { op } });
  check(response, { [`${op} ${expected ? 'ends as expected' : 'returns OK'}`]: (r) => (expected ? expected.includes(r.status) : ok(r)) });
  return response;
}

// A stream to its end; resolves with the status, the last message and the content bytes received.
function stream(op, messages) {
  return new Promise((resolve) => {
    const result = { status: grpc.StatusOK, message: null, bytes: 0 };
    const s = new grpc.Stream(client, M + op, { tags: { op } });
    s.on('data', (message) => {
      result.message = message;
      // Bytes from the base64 length: 4 characters per 3 bytes, less the padding.
      const content = message.content;
      if (content) result.bytes += (content.length / 4) * 3 - (content.endsWith('==') ? 2 : content.endsWith('=') ? 1 : 0);
    });
    s.on('error', (error) => (result.status = error.code));
    s.on('end', () => {
      check(result, { [`${op} returns OK`]: (r) => r.status === grpc.StatusOK });
      resolve(result);
    });
    for (const message of messages) s.write(message);
    s.end();
  });
}

function upload(op, metadata, content) {
  return stream(op, [{ metadata }, ...content.pieces.map((piece) => ({ content: piece }))]);
}

export async function setup() {
  const runId = __ENV.RUN_ID || `bare${Date.now().toString(36)}`;
  client.connect(ADDR, { plaintext: true });
  const stores = ['saves', 'profiles'].map((name) => `${runId}-${name}`);
  const seeds = [];
  const counters = [];
  stores.forEach((storeKey, s) => {
    call('CreateStore', { store: { key: storeKey, name: `${storeKey} store`, tags: [`kind:${storeKey}`], ownerId: 'bare' } });
    for (let i = 0; i < RECORDS_PER_STORE; i++) {
      const key = `${storeKey}-seed-${i}`;
      if (ok(call('CreateRecord', { storeKey, record: save(key, s * 1000 + i, 0) }))) seeds.push({ store: storeKey, key });
    }
    const properties = { hot: { type: 'INTEGER', integerValue: '0' }, flag: { type: 'STRING', stringValue: 'idle' } };
    for (let i = 0; i < COLD_COUNTERS; i++) properties[`cold${i}`] = { type: 'INTEGER', integerValue: '0' };
    const key = `${storeKey}-counters`;
    if (ok(call('CreateRecord', { storeKey, record: { key, ownerId: 'counters', properties } }))) counters.push({ store: storeKey, key });
  });
  const store = stores[0];
  const blobs = [];
  for (const p of payloads) {
    const key = `${store}-blob-${p.size}`;
    call('CreateRecord', { storeKey: store, record: { key, ownerId: 'bare' } });
    const uploaded = await upload('CreateBlob', { storeKey: store, recordKey: key, size: String(p.size), md5: p.md5 }, p);
    if (uploaded.status === grpc.StatusOK) blobs.push({ store, key, size: p.size });
  }
  const chunked = { store, key: `${store}-chunked` };
  call('CreateRecord', { storeKey: store, record: { key: chunked.key, ownerId: 'bare' } });
  const hasChunked = await uploadChunked(chunked);
  client.close();
  return { runId, stores, seeds, counters, blobs, chunked: hasChunked ? chunked : null };
}

let connected = false;
const owned = [];
let iteration = 0;

function createOwn(data) {
  const n = Math.floor(Math.random() * 1e9);
  const own = { store: pick(data.stores), key: `${data.runId}-v${__VU}-i${iteration}-own`, n, version: 0, hasBlob: false };
  if (!ok(call('CreateRecord', { storeKey: own.store, record: save(own.key, n, 0) }))) return null;
  owned.push(own);
  if (owned.length > OWN_RECORDS_KEPT) {
    const evicted = owned.shift();
    call('DeleteRecord', { storeKey: evicted.store, key: evicted.key });
  }
  return own;
}

const anyOwned = (data) => (owned.length > 0 ? pick(owned) : createOwn(data));

async function uploadChunked(target) {
  const session = call('CreateChunkedBlob', { storeKey: target.store, recordKey: target.key, chunkSize: String(CHUNK_BYTES), chunkCount: String(CHUNKS) });
  if (!ok(session)) return false;
  const sessionId = session.message.sessionId;
  for (let number = 0; number < CHUNKS; number++) {
    const sent = await upload('UploadChunk', { sessionId, number: String(number), size: String(CHUNK_BYTES), md5: chunkPayload.md5 }, chunkPayload);
    if (sent.status !== grpc.StatusOK) return false;
  }
  return ok(call('CommitChunkedUpload', { sessionId }));
}

async function readChunk(target, chunkNumber) {
  const read = await stream('GetBlobChunk', [{ storeKey: target.store, recordKey: target.key, chunkNumber: String(chunkNumber) }]);
  check(read, { 'a chunk has its size': (r) => r.bytes === CHUNK_BYTES });
}

function contend(data, op) {
  const counters = pick(data.counters);
  const propertyName = Math.random() < 0.1 && op !== 'CompareAndSwap' ? 'hot' : `cold${Math.floor(Math.random() * COLD_COUNTERS)}`;
  const base = { storeKey: counters.store, recordKey: counters.key, propertyName };
  const request =
    op === 'CompareAndSwap'
      ? { ...base, propertyName: 'flag', oldValue: { type: 'STRING', stringValue: 'idle' }, value: { type: 'STRING', stringValue: 'idle' } }
      : op === 'AtomicInc' || op === 'AtomicDec'
        ? { ...base, lowerBound: '0', upperBound: '1000000000' }
        : { ...base, value: '1' };
  call(op, request, [grpc.StatusOK, grpc.StatusAborted]);
}

const QUERIES = [
  (store, n) => ({ storeKey: store, ownerId: `owner-${n % 50}` }),
  (store, n) => ({ storeKey: store, tags: [TAGS[n % 7], TAGS[(n + 3) % 7]], tagFilterMode: 'AND' }),
  (store, n) => ({ storeKey: store, tags: [TAGS[n % 7], TAGS[(n + 3) % 7]], tagFilterMode: 'OR' }),
  (store, n) => ({ storeKey: store, filters: [{ propertyName: 'level', operator: 'GREATER', value: { type: 'INTEGER', integerValue: String(n % 99) } }] }),
  (store) => ({ storeKey: store, sortOrders: [{ property: 'USER_PROPERTY', userPropertyName: 'gold', direction: 'DESC' }], limit: 10 }),
  (store) => ({ storeKey: store, keysOnly: true }),
  (store, n) => ({ ownerId: `owner-${n % 50}` }),
];

const OPS = {
  Ping: () => call('Ping', { ping: 'mixed' }),
  GetStore: (data) => call('GetStore', { key: pick(data.stores) }),
  ListStores: (data) => call('ListStores', { name: `${pick(data.stores)} store` }),
  GetRecord: (data) => {
    const seed = pick(data.seeds);
    call('GetRecord', { storeKey: seed.store, key: seed.key });
  },
  GetRecords: (data) => {
    const chosen = new Set();
    while (chosen.size < 4) chosen.add(pick(data.seeds));
    const refs = [...chosen];
    const response = call('GetRecords', {
      storeKeys: [...refs.map((ref) => ref.store), refs[0].store],
      keys: [...refs.map((ref) => ref.key), `${data.runId}-v${__VU}-i${iteration}-missing`],
    });
    check(response, { 'a batch has one result per key': (r) => ok(r) && r.message.results.length === 5 });
  },
  QueryRecords: (data) => call('QueryRecords', pick(QUERIES)(pick(data.stores), Math.floor(Math.random() * 1000))),
  GetBlob: async (data) => {
    const blob = pick(data.blobs);
    const read = await stream('GetBlob', [{ storeKey: blob.store, recordKey: blob.key }]);
    check(read, { 'a blob has its size': (r) => r.bytes === blob.size });
  },
  GetBlobChunk: (data) => (data.chunked ? readChunk(data.chunked, Math.floor(Math.random() * CHUNKS)) : undefined),
  CreateChunkUrls: (data) => data.chunked && call('CreateChunkUrls', { storeKey: data.chunked.store, key: data.chunked.key, ttlInSeconds: '60' }),

  CreateRecord: (data) => createOwn(data),
  UpdateRecord: (data) => {
    const own = anyOwned(data);
    if (!own) return;
    if (ok(call('UpdateRecord', { storeKey: own.store, record: save(own.key, own.n, own.version + 1) }))) {
      own.version++;
      call('GetRecord', { storeKey: own.store, key: own.key, hint: { skipCache: true } });
    }
  },
  DeleteRecord: (data) => {
    const own = anyOwned(data);
    if (!own) return;
    owned.splice(owned.indexOf(own), 1);
    if (ok(call('DeleteRecord', { storeKey: own.store, key: own.key }))) {
      call('GetRecord', { storeKey: own.store, key: own.key, hint: { skipCache: true } }, [grpc.StatusNotFound]);
    }
  },
  CreateBlob: async (data) => {
    const own = anyOwned(data);
    if (!own) return;
    const p = pick(payloads);
    const sent = await upload('CreateBlob', { storeKey: own.store, recordKey: own.key, size: String(p.size), md5: p.md5 }, p);
    if (sent.status === grpc.StatusOK) own.hasBlob = true;
  },
  DeleteBlob: async (data) => {
    const own = anyOwned(data);
    if (!own) return;
    if (!own.hasBlob) {
      const p = payloads[0];
      const sent = await upload('CreateBlob', { storeKey: own.store, recordKey: own.key, size: String(p.size), md5: p.md5 }, p);
      if (sent.status !== grpc.StatusOK) return;
    }
    if (!ok(call('DeleteBlob', { storeKey: own.store, recordKey: own.key }))) return;
    own.hasBlob = false;
    const after = await stream('GetBlob', [{ storeKey: own.store, recordKey: own.key, hint: { skipCache: true } }]);
    check(after, { 'a deleted blob reads back empty': (r) => r.bytes === 0 });
  },
  CreateChunkedBlob: async (data) => {
    const own = anyOwned(data);
    if (own && (await uploadChunked(own))) {
      own.hasBlob = true;
      await readChunk(own, CHUNKS - 1);
    }
  },
  AbortChunkedUpload: async (data) => {
    const own = anyOwned(data);
    if (!own) return;
    call('GetRecord', { storeKey: own.store, key: own.key, hint: { skipCache: true } });
    const session = call('CreateChunkedBlob', { storeKey: own.store, recordKey: own.key });
    if (!ok(session)) return;
    const sessionId = session.message.sessionId;
    await upload('UploadChunk', { sessionId, number: '0' }, chunkPayload);
    if (ok(call('AbortChunkedUpload', { sessionId }))) call('GetRecord', { storeKey: own.store, key: own.key, hint: { skipCache: true } });
  },
};
for (const op of ['CompareAndSwap', 'CompareAndSwapGreaterInt', 'CompareAndSwapLessInt', 'AtomicAddInt', 'AtomicSubInt', 'AtomicInc', 'AtomicDec']) {
  OPS[op] = (data) => contend(data, op);
}

export default function (data) {
  iteration++;
  if (!connected) {
    client.connect(ADDR, { plaintext: true });
    connected = true;
  }
  const op = Math.random() < READ_RATIO ? pickRead() : pickWrite();
  return OPS[op](data);
}

export function teardown(data) {
  client.connect(ADDR, { plaintext: true });
  for (const store of data.stores) {
    const listed = client.invoke(`${M}QueryRecords`, { storeKey: store, keysOnly: true });
    for (const record of listed.message ? listed.message.records : []) client.invoke(`${M}DeleteRecord`, { storeKey: store, key: record.key });
    client.invoke(`${M}DeleteStore`, { key: store });
  }
  client.close();
}
