// Local stand-ins for what the CloudWatch output talks to, bound to
// 127.0.0.1 on random ports: a CloudWatch agent EMF listener (TCP, one
// document per line) and a PutMetricData endpoint speaking Smithy RPC v2
// CBOR like CloudWatch. Both keep what they received for the assertions.
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { gunzipSync } from 'node:zlib';
import { decodeCbor, type CborValue } from './cbor.js';

const PUT_METRIC_DATA_PATH = '/service/GraniteServiceVersion20100801/operation/PutMetricData';

export interface Receiver<T> {
  address: string;
  received: () => T[];
  /** why requests were refused, if any */
  problems: () => string[];
  close: () => Promise<void>;
}

export async function startEMFListener(): Promise<Receiver<string>> {
  const lines: string[] = [];
  const server = createTcpServer((socket) => {
    createInterface({ input: socket }).on('line', (line) => lines.push(line));
  });
  const port = await listen(server);
  return { address: `tcp://127.0.0.1:${port}`, received: () => [...lines], problems: () => [], close: () => close(server) };
}

export interface FakeCloudWatch extends Receiver<CborValue> {
  /** regions the requests were signed for */
  regions: () => string[];
}

export async function startFakeCloudWatch(): Promise<FakeCloudWatch> {
  const bodies: CborValue[] = [];
  const regions = new Set<string>();
  const problems: string[] = [];
  const server = createHttpServer(async (request, response) => {
    try {
      if (request.method !== 'POST' || request.url !== PUT_METRIC_DATA_PATH || request.headers['smithy-protocol'] !== 'rpc-v2-cbor') {
        throw new Error(`unexpected ${request.method} ${request.url} (smithy-protocol ${request.headers['smithy-protocol']})`);
      }
      // SigV4 names the signing region in the credential scope: AKID/date/REGION/monitoring/aws4_request
      const region = /Credential=[^/]+\/\d+\/([^/]+)\/monitoring\//.exec(request.headers.authorization ?? '')?.[1];
      if (region) regions.add(region);
      bodies.push(decodeCbor(await readBody(request)));
      response.writeHead(200, { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' });
      response.end(Buffer.from([0xa0])); // an empty CBOR map: PutMetricData has no output members
    } catch (error) {
      problems.push(String(error));
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end(String(error));
    }
  });
  const port = await listen(server);
  return {
    address: `http://127.0.0.1:${port}`,
    received: () => [...bodies],
    problems: () => [...problems],
    regions: () => [...regions],
    close: () => close(server),
  };
}

async function readBody(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  // The SDK gzips request bodies above 10 KiB.
  return new Uint8Array(request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body);
}

function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server | ReturnType<typeof createHttpServer>): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
