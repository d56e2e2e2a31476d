// k6 script for bench/emulator/emulator-vs-k6.ts: one unary RPC in a tight loop, one
// connection per VU, against the local emulator. Reads RPC, REQUEST (JSON), VUS, DURATION.
import grpc from 'k6/net/grpc';

const client = new grpc.Client();
client.load(['../proto'], 'open_saves.proto');
const method = `opensaves.OpenSaves/${__ENV.RPC}`;
const request = JSON.parse(__ENV.REQUEST);

export const options = { vus: Number(__ENV.VUS), duration: __ENV.DURATION, summaryTrendStats: ['med', 'p(99)'] };

export default function () {
  if (__ITER === 0) client.connect(__ENV.EMULATOR_GRPC, { plaintext: true });
  const response = client.invoke(method, request);
  if (response.status !== grpc.StatusOK) throw new Error(`${method} failed: ${response.status} ${response.error?.message}`);
}
