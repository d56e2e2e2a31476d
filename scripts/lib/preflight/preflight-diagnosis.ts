// What a failed preflight probe means, as one line naming the variable to
// change. Pure: it reads the error text k6 (Go's net, crypto/tls and grpc-go)
// reports and the answer the server gave, so each case can be unit-tested. The
// messages never contain the auth token: they are built from the address, the
// URL and the server's error text only.
import { HTTP_PATHS } from '../../../catalogue/http-routes.js';
import { isWafBlock, PORT_WAF_LIMIT, PORT_WAF_WINDOW_MINUTES } from '../transport/waf.js';

export type TransportSetting = 'plaintext' | 'tls';

/** What a failed gRPC connect says about the address, or that the other TLS setting should be tried to tell. */
export type ConnectVerdict = { readonly line: string } | { readonly tryOther: TransportSetting };

const MAX_DETAIL = 160;

/** The innermost reason of a Go error chain, e.g. `tls: first record does not look like a TLS handshake`. */
export function errorDetail(error: string): string {
  const text = error.replace(/^GoError:\s*/, '').replace(/\\"/g, '"');
  const desc = /desc = "(.*)"$/.exec(text)?.[1] ?? text;
  const reason = desc
    .replace(/^transport: (error while dialing: |authentication handshake failed: )?/, '')
    .replace(/^tls: failed to verify certificate: /, '')
    .replace(/\s*\(possibly because of .*$/, '');
  return reason.length > MAX_DETAIL ? `${reason.slice(0, MAX_DETAIL)}...` : reason;
}

function hostOf(address: string): string {
  return address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
}

export function dnsLine(variable: string, target: string, host: string): string {
  return `preflight: the host name ${host} in ${variable} is not found (DNS: no such host at ${target}); check ${variable}`;
}

export function refusedLine(variable: string, target: string): string {
  return `preflight: nothing is listening at ${target} (connection refused); check ${variable}, or start the server`;
}

function certificateLine(variable: string, target: string, detail: string, caVariable: string | undefined): string | undefined {
  if (/certificate is valid for|not valid for any names|doesn't contain any IP SANs|certificate is not valid for/i.test(detail)) {
    return `preflight: the TLS certificate of ${target} does not name the host in ${variable} (${detail}); use a host name the certificate names in ${variable}`;
  }
  if (/unknown authority|self[- ]signed|not standards compliant/i.test(detail)) {
    const fix = caVariable === undefined ? `the certificate must be signed by a CA in the system trust store; check ${variable}` : `set ${caVariable} to the PEM file of the CA that signed it`;
    return `preflight: the TLS certificate of ${target} is not signed by a trusted CA (${detail}); ${fix}`;
  }
  if (/x509:|certificate/i.test(detail)) return `preflight: the TLS certificate of ${target} was rejected (${detail}); check ${variable}${caVariable === undefined ? '' : ` and ${caVariable}`}`;
  return undefined;
}

/**
 * A gRPC connect that failed with `error` under `setting`. `timeoutS` is the
 * connect timeout, for the message of a server that never answered.
 */
export function diagnoseGrpcConnect(error: string, address: string, setting: TransportSetting, timeoutS: number): ConnectVerdict {
  const detail = errorDetail(error);
  if (/no such host|server misbehaving|Name or service not known/i.test(detail)) return { line: dnsLine('OPEN_SAVES_ADDR', address, hostOf(address)) };
  if (/connection refused/i.test(detail)) return { line: refusedLine('OPEN_SAVES_ADDR', address) };
  if (/looked like an HTTP\/1\.1 header/i.test(detail)) return { line: http1Line(address) };
  if (setting === 'tls') {
    const certificate = certificateLine('OPEN_SAVES_ADDR', address, detail, 'OPEN_SAVES_CA_CERT');
    if (certificate !== undefined) return { line: certificate };
    // A plaintext server answers a ClientHello with bytes that are no TLS record; which kind of server it is, a plaintext connect tells.
    if (/first record does not look like a TLS handshake|record overflow|oversized record/i.test(detail)) return { tryOther: 'plaintext' };
  } else if (/server preface|EOF|connection reset|frame/i.test(detail)) {
    // A TLS server closes a connection that opens with HTTP/2's preface instead of a ClientHello.
    return { tryOther: 'tls' };
  }
  if (/deadline exceeded|timed? ?out|i\/o timeout/i.test(detail)) {
    return { line: `preflight: no answer from ${address} within ${timeoutS}s (${detail}); check OPEN_SAVES_ADDR and the network path to it` };
  }
  return { line: `preflight: cannot connect to ${address} (${detail}); check OPEN_SAVES_ADDR and OPEN_SAVES_TLS` };
}

function http1Line(address: string): string {
  return `preflight: an HTTP/1 server answers at ${address}, not gRPC; OPEN_SAVES_ADDR must be the gRPC port (for the AWS port's REST API use TRANSPORT=http with OPEN_SAVES_HTTP_URL=http://${address})`;
}

/**
 * The first connect failed under `tried`; the second, under the other setting,
 * ended with `otherError` (undefined: it connected). Which server is there.
 */
export function diagnoseOtherSetting(tried: TransportSetting, otherError: string | undefined, address: string, firstError: string): string {
  const other = otherError === undefined ? '' : errorDetail(otherError);
  if (tried === 'tls') {
    if (otherError === undefined) return `preflight: OPEN_SAVES_TLS=true but ${address} answers without TLS (plaintext gRPC); set OPEN_SAVES_TLS=false`;
    if (/looked like an HTTP\/1\.1 header/i.test(other)) return http1Line(address);
    return `preflight: OPEN_SAVES_TLS=true but ${address} does not speak TLS (${errorDetail(firstError)}), nor gRPC without it (${other}); check OPEN_SAVES_ADDR and OPEN_SAVES_TLS`;
  }
  // The TLS handshake got as far as the certificate: the server speaks TLS.
  if (otherError === undefined || /x509:|certificate/i.test(other)) {
    return `preflight: ${address} speaks TLS but OPEN_SAVES_TLS is false; set OPEN_SAVES_TLS=true (and OPEN_SAVES_CA_CERT=<CA PEM file> for a private CA)`;
  }
  return `preflight: ${address} accepted the connection but does not speak gRPC (${errorDetail(firstError)}); check OPEN_SAVES_ADDR`;
}

/** A Ping that connected but did not end OK; undefined for a status worth retrying within the budget. */
export function diagnosePingStatus(status: string, error: string, address: string, tokenSet: boolean): string | undefined {
  switch (status) {
    case 'OK':
    case 'UNAVAILABLE':
      return undefined;
    case 'UNIMPLEMENTED':
      return `preflight: ${address} speaks gRPC but has no Open Saves service (Ping answered UNIMPLEMENTED, as the AWS port's gRPC port does for every RPC); use TRANSPORT=http with OPEN_SAVES_HTTP_URL set to its REST API`;
    case 'UNAUTHENTICATED':
      return tokenSet
        ? `preflight: ${address} did not accept OPEN_SAVES_AUTH_TOKEN (UNAUTHENTICATED); check OPEN_SAVES_AUTH_TOKEN (its value is not shown)`
        : `preflight: ${address} requires a token (UNAUTHENTICATED); set OPEN_SAVES_AUTH_TOKEN`;
    case 'PERMISSION_DENIED':
      return `preflight: ${address} refused OPEN_SAVES_AUTH_TOKEN (PERMISSION_DENIED); set OPEN_SAVES_AUTH_TOKEN to a token allowed to use Open Saves (its value is not shown)`;
    case 'DEADLINE_EXCEEDED':
      return `preflight: ${address} did not answer Ping in time (DEADLINE_EXCEEDED); check OPEN_SAVES_ADDR and the server's health`;
    default:
      return `preflight: Ping to ${address} ended with ${status} (${errorDetail(error)}); check OPEN_SAVES_ADDR`;
  }
}

/** The final line when every Ping within the budget ended UNAVAILABLE. */
export function unavailableLine(address: string, error: string): string {
  return `preflight: ${address} answered every Ping UNAVAILABLE within the preflight's time (${errorDetail(error)}); check the server at OPEN_SAVES_ADDR`;
}

/** One HTTP answer as the preflight sees it. */
export interface HttpAnswer {
  readonly status: number;
  /** k6's error text when no response came (status 0) */
  readonly error: string;
  readonly server: string;
  readonly xCache: string;
  readonly body: string;
}

export type HttpVerdict = { readonly line: string } | { readonly ok: true } | { readonly retry: string } | { readonly tryHttps: true };

// k6's JavaScript runtime has no locale formatting (toLocaleString throws there).
function thousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const WAF_ADVICE =
  `the AWS port's rate rule allows ${thousands(PORT_WAF_LIMIT)} requests per ${PORT_WAF_WINDOW_MINUTES} minutes from one address: ` +
  "allow-list the runners' egress addresses in the WAF, or point OPEN_SAVES_HTTP_URL at the load balancer (ALB) behind CloudFront";

/** The answer to GET <url>/health (`route` says which request, for the message). */
export function diagnoseHttp(answer: HttpAnswer, url: string, route: string, tokenSet: boolean): HttpVerdict {
  if (answer.status === 0) return diagnoseHttpError(answer.error, url);
  if (isWafBlock(answer.status, answer.server, answer.xCache, answer.body)) return { line: `preflight: CloudFront's WAF blocked this runner's address (${route} answered 403 from CloudFront at ${url}); ${WAF_ADVICE}` };
  if (answer.status === 401) {
    return {
      line: tokenSet
        ? `preflight: ${url} did not accept OPEN_SAVES_AUTH_TOKEN (${route} answered 401); check OPEN_SAVES_AUTH_TOKEN (its value is not shown)`
        : `preflight: ${url} requires a token (${route} answered 401); set OPEN_SAVES_AUTH_TOKEN`,
    };
  }
  if (answer.status === 403) {
    return { line: `preflight: ${url} refused OPEN_SAVES_AUTH_TOKEN (${route} answered 403); set OPEN_SAVES_AUTH_TOKEN to a token allowed to use the API (its value is not shown)` };
  }
  if (answer.status === 400 && /HTTP request to an HTTPS server/i.test(answer.body)) return { line: httpsLine(url) };
  if (answer.status === 404 && route.endsWith(HTTP_PATHS.health)) {
    return { line: `preflight: ${url} has no /health (${route} answered 404), so it is not the AWS port's REST API; set OPEN_SAVES_HTTP_URL to the API's base URL` };
  }
  if (answer.status === 502 || answer.status === 503 || answer.status === 504) return { retry: `${route} answered ${answer.status}` };
  return { ok: true };
}

function httpsLine(url: string): string {
  return `preflight: ${url} speaks TLS (HTTPS); set OPEN_SAVES_HTTP_URL to ${url.replace(/^http:/, 'https:')}`;
}

function diagnoseHttpError(error: string, url: string): HttpVerdict {
  const host = /^https?:\/\/([^/:]+|\[[^\]]+\])/.exec(url)?.[1] ?? url;
  if (/no such host|server misbehaving/i.test(error)) return { line: dnsLine('OPEN_SAVES_HTTP_URL', url, host) };
  if (/connection refused/i.test(error)) return { line: refusedLine('OPEN_SAVES_HTTP_URL', url) };
  if (/first record does not look like a TLS handshake|server gave HTTP response to HTTPS client/i.test(error)) {
    return { line: `preflight: OPEN_SAVES_HTTP_URL is https:// but ${url} answers without TLS; set OPEN_SAVES_HTTP_URL to ${url.replace(/^https:/, 'http:')}` };
  }
  const certificate = certificateLine('OPEN_SAVES_HTTP_URL', url, error, undefined);
  if (certificate !== undefined) return { line: certificate };
  if (/malformed HTTP response "\\x00\\x00/i.test(error) || /malformed HTTP response "\x00\x00/.test(error)) {
    return { line: `preflight: ${url} answers HTTP/2 frames only (a gRPC port?), not the REST API; set OPEN_SAVES_HTTP_URL to the REST API's port, or use TRANSPORT=grpc with OPEN_SAVES_ADDR` };
  }
  // A TLS server closes a plain HTTP request without an answer; an https:// request tells.
  if (/^EOF$|connection reset|unexpected EOF/i.test(error) && url.startsWith('http:')) return { tryHttps: true };
  if (/timeout|deadline exceeded/i.test(error)) return { retry: `no answer (${error})` };
  return { line: `preflight: cannot reach ${url} (${error.slice(0, MAX_DETAIL)}); check OPEN_SAVES_HTTP_URL` };
}

/** The plain http:// request got no answer; an https:// one to the same place ended with `httpsError` (undefined: answered). */
export function diagnoseHttpsRetry(httpsError: string | undefined, url: string, firstError: string): string {
  if (httpsError === undefined || /x509:|certificate|unknown authority/i.test(httpsError)) return httpsLine(url);
  return `preflight: ${url} closed the connection without an answer (${firstError}); check OPEN_SAVES_HTTP_URL`;
}

/** The line when every answer within the budget asked for a retry. */
export function httpGaveUpLine(url: string, last: string): string {
  return `preflight: ${url} did not answer the preflight within its time (${last}); check OPEN_SAVES_HTTP_URL and the server's health`;
}
