// A local stand-in for the CloudWatch endpoint: answers GetMetricData in the protocol @aws-sdk/client-cloudwatch
// 3.1178.0 speaks (awsJson1_0: POST / with X-Amz-Target GraniteServiceVersion20100801.GetMetricData, a JSON body
// with epoch-second timestamps, a JSON answer; see node_modules/@aws-sdk/client-cloudwatch/dist-cjs/index.js,
// protocol: AwsJson1_0Protocol), with answers shaped as the service's: results per query id, NextToken paging,
// periods without data left out.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedQuery {
  Id: string;
  MetricStat: { Metric: { Namespace: string; MetricName: string; Dimensions?: Array<{ Name: string; Value: string }> }; Period: number; Stat: string };
  ReturnData?: boolean;
}

export interface RecordedCall {
  target: string | undefined;
  contentType: string | undefined;
  /** the region of the request's SigV4 credential scope */
  region: string | null;
  body: { MetricDataQueries: RecordedQuery[]; StartTime: number; EndTime: number; NextToken?: string; ScanBy?: string };
}

export interface FakeCloudWatch {
  url: string;
  calls: RecordedCall[];
  /** value of a metric at a period start (epoch seconds); undefined: no data in that period (a gap) */
  valueOf: (query: RecordedQuery, epochSeconds: number) => number | undefined;
  /** when set, every call answers this error instead */
  failWith: { status: number; type: string; message: string } | null;
  close: () => Promise<void>;
}

const TARGET = 'GraniteServiceVersion20100801.GetMetricData';

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => resolve(text));
  });
}

/** Answers every query over [StartTime, EndTime) at its period; the first page carries the earlier half of each. */
export async function startFakeCloudWatch(): Promise<FakeCloudWatch> {
  const fake: FakeCloudWatch = {
    url: '',
    calls: [],
    valueOf: () => 1,
    failWith: null,
    close: async () => undefined,
  };
  const server: Server = createServer(async (request, response) => {
    const text = await readBody(request);
    const body = JSON.parse(text) as RecordedCall['body'];
    const region = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/monitoring\//.exec(String(request.headers.authorization))?.[1] ?? null;
    fake.calls.push({ target: request.headers['x-amz-target'] as string | undefined, contentType: request.headers['content-type'], region, body });
    if (request.headers['x-amz-target'] !== TARGET) {
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ __type: 'UnknownOperationException' }));
      return;
    }
    if (fake.failWith !== null) {
      const { status, type, message } = fake.failWith;
      response
        .writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${type.replace(/Exception$/, '')};Sender` })
        .end(JSON.stringify({ __type: `com.amazon.coral.service#${type}`, message }));
      return;
    }
    const secondPage = body.NextToken === 'page-2';
    const results = body.MetricDataQueries.map((query) => {
      const period = query.MetricStat.Period;
      const timestamps: number[] = [];
      const values: number[] = [];
      for (let t = Math.ceil(body.StartTime / period) * period; t < body.EndTime; t += period) {
        const value = fake.valueOf(query, t);
        if (value !== undefined) {
          timestamps.push(t);
          values.push(value);
        }
      }
      const half = Math.ceil(timestamps.length / 2);
      const [from, to] = secondPage ? [half, timestamps.length] : [0, half];
      return { Id: query.Id, Label: query.MetricStat.Metric.MetricName, Timestamps: timestamps.slice(from, to), Values: values.slice(from, to), StatusCode: secondPage ? 'Complete' : 'PartialData' };
    });
    const answer: Record<string, unknown> = { MetricDataResults: results, Messages: [] };
    if (!secondPage) answer.NextToken = 'page-2';
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };
