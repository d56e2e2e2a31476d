// The baseline of the load-generator benchmarks: what a user would write by
// hand with k6's gRPC module to make one call at a fixed arrival rate. Plain
// JavaScript, no bundling, one connection per VU, one check per call.
//
//   k6 run -e OPEN_SAVES_ADDR=127.0.0.1:6000 -e RPC=Ping -e RATE=1000 -e DURATION=15s bench/k6/minimal-grpc.js
//
// PROTOSET=<path> loads a prebuilt descriptor set (client.loadProtoset) instead
// of parsing proto/open_saves.proto in every VU; the memory benchmark compares both.
// RPC=GetRecord reads STORE_KEY and one of RECORD_KEYS (comma-separated, picked at
// random per call) when given: the benchmarks seed as many records shaped like the
// scenarios' game saves as the bundles read. Otherwise setup() makes one.
import grpc from 'k6/net/grpc';
import { check } from 'k6';

const ADDR = __ENV.OPEN_SAVES_ADDR || '127.0.0.1:6000';
const RPC = __ENV.RPC || 'Ping';
const RATE = positiveInteger('RATE', __ENV.RATE || '1000');
const VUS = positiveInteger('VUS', __ENV.VUS || '50');
const DURATION = __ENV.DURATION || '15s';

if (RPC !== 'Ping' && RPC !== 'GetRecord') {
  throw new Error(`invalid RPC; reason: expected Ping or GetRecord, got \`${RPC}\``);
}

function positiveInteger(name, raw) {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`invalid ${name}; reason: expected integer >= 1, got \`${raw}\``);
  }
  return value;
}

const client = new grpc.Client();
if (__ENV.PROTOSET) {
  client.loadProtoset(__ENV.PROTOSET);
} else {
  client.load(['../../proto'], 'open_saves.proto');
}

export const options = {
  scenarios: {
    calls: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: VUS,
      maxVUs: VUS,
    },
  },
};

const RECORD_KEYS = (__ENV.RECORD_KEYS || 'record-1').split(',');

// Init code runs once per VU, so the store key is made here and handed to VUs.
export function setup() {
  if (RPC !== 'GetRecord') return {};
  if (__ENV.STORE_KEY) return { storeKey: __ENV.STORE_KEY, seeded: true };
  const storeKey = `${__ENV.RUN_ID || `bench-${Date.now()}`}-store`;
  client.connect(ADDR, { plaintext: true });
  const store = client.invoke('opensaves.OpenSaves/CreateStore', { store: { key: storeKey, name: storeKey } });
  const record = client.invoke('opensaves.OpenSaves/CreateRecord', {
    storeKey,
    record: { key: RECORD_KEYS[0], ownerId: 'bench', tags: ['bench'], properties: { level: { type: 'INTEGER', integerValue: '7' } } },
  });
  if (store.status !== grpc.StatusOK || record.status !== grpc.StatusOK) {
    throw new Error(`setup failed: CreateStore ${store.status}, CreateRecord ${record.status}`);
  }
  client.close();
  return { storeKey };
}

let connected = false;

export default function (data) {
  if (!connected) {
    client.connect(ADDR, { plaintext: true });
    connected = true;
  }
  const response =
    RPC === 'Ping'
      ? client.invoke('opensaves.OpenSaves/Ping', { ping: 'bench' })
      : client.invoke('opensaves.OpenSaves/GetRecord', { storeKey: data.storeKey, key: RECORD_KEYS[Math.floor(Math.random() * RECORD_KEYS.length)] });
  check(response, { 'call returns OK': (r) => r && r.status === grpc.StatusOK });
}

export function teardown(data) {
  if (RPC !== 'GetRecord' || data.seeded) return;
  client.connect(ADDR, { plaintext: true });
  client.invoke('opensaves.OpenSaves/DeleteRecord', { storeKey: data.storeKey, key: RECORD_KEYS[0] });
  client.invoke('opensaves.OpenSaves/DeleteStore', { key: data.storeKey });
  client.close();
}
