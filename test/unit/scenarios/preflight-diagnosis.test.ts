// The preflight's reading of the errors k6 reports (texts as k6 1.8 prints
// them) and of HTTP answers: each names the variable to change, and a TLS
// mismatch asks for the other setting to be tried before it says which.
import { describe, expect, it } from 'vitest';
import {
  diagnoseGrpcConnect,
  diagnoseHttp,
  diagnoseOtherSetting,
  diagnosePingStatus,
  errorDetail,
  type HttpAnswer,
} from '../../../scripts/lib/preflight/preflight-diagnosis.js';

const ADDR = '10.0.0.5:6000';
const answer = (fields: Partial<HttpAnswer>): HttpAnswer => ({ status: 200, error: '', server: '', xCache: '', body: '', ...fields });

describe('a failed gRPC connect', () => {
  it('is refused, unresolved or HTTP/1 at once, without a second try', () => {
    const refused = 'GoError: connection error: desc = "transport: error while dialing: dial tcp 10.0.0.5:6000: connect: connection refused"';
    const dns = 'GoError: connection error: desc = "transport: error while dialing: lookup x.invalid on 10.255.255.53:53: no such host"';
    const http1 =
      'GoError: context deadline exceeded: connection error: desc = "error reading server preface: http2: failed reading the frame payload: http2: frame too large, note that the frame header looked like an HTTP/1.1 header"';
    expect(diagnoseGrpcConnect(refused, ADDR, 'plaintext', 3)).toEqual({ line: expect.stringContaining('nothing is listening at 10.0.0.5:6000 (connection refused); check OPEN_SAVES_ADDR') });
    expect(diagnoseGrpcConnect(dns, 'x.invalid:6000', 'plaintext', 3)).toEqual({ line: expect.stringContaining('the host name x.invalid in OPEN_SAVES_ADDR is not found') });
    expect(diagnoseGrpcConnect(http1, ADDR, 'plaintext', 3)).toEqual({ line: expect.stringContaining('an HTTP/1 server answers at 10.0.0.5:6000, not gRPC') });
  });

  it('asks for the other TLS setting when the handshake or the preface fails', () => {
    const notTls = 'GoError: context deadline exceeded: connection error: desc = "transport: authentication handshake failed: tls: first record does not look like a TLS handshake"';
    const closed = 'GoError: context deadline exceeded: connection error: desc = "error reading server preface: EOF"';
    expect(diagnoseGrpcConnect(notTls, ADDR, 'tls', 3)).toEqual({ tryOther: 'plaintext' });
    expect(diagnoseGrpcConnect(closed, ADDR, 'plaintext', 3)).toEqual({ tryOther: 'tls' });
  });

  it('tells a wrong CA from a certificate for another name', () => {
    const unknownCa =
      'GoError: context deadline exceeded: connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority (possibly because of \\"x509: invalid signature\\" while trying to verify candidate authority certificate \\"localhost\\")"';
    const otherName = 'GoError: connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate is valid for a.example, not b.example"';
    const ca = diagnoseGrpcConnect(unknownCa, ADDR, 'tls', 3);
    expect(ca).toEqual({ line: `preflight: the TLS certificate of ${ADDR} is not signed by a trusted CA (x509: certificate signed by unknown authority); set OPEN_SAVES_CA_CERT to the PEM file of the CA that signed it` });
    expect(diagnoseGrpcConnect(otherName, ADDR, 'tls', 3)).toEqual({ line: expect.stringContaining('does not name the host in OPEN_SAVES_ADDR (x509: certificate is valid for a.example, not b.example)') });
  });

  it('reads the second try: plaintext gRPC, a TLS server, or neither', () => {
    expect(diagnoseOtherSetting('tls', undefined, ADDR, 'x')).toContain('set OPEN_SAVES_TLS=false');
    expect(diagnoseOtherSetting('plaintext', 'GoError: x509: certificate signed by unknown authority', ADDR, 'x')).toContain('speaks TLS but OPEN_SAVES_TLS is false; set OPEN_SAVES_TLS=true');
    expect(diagnoseOtherSetting('plaintext', 'tls: first record does not look like a TLS handshake', ADDR, 'error reading server preface: EOF')).toContain('does not speak gRPC');
  });

  it('keeps only the innermost reason of a Go error chain', () => {
    expect(errorDetail('GoError: connection error: desc = "transport: error while dialing: dial tcp 1.2.3.4:5: i/o timeout"')).toBe('dial tcp 1.2.3.4:5: i/o timeout');
  });
});

describe('a Ping that connected', () => {
  it('names TRANSPORT=http for UNIMPLEMENTED and OPEN_SAVES_AUTH_TOKEN for the auth statuses', () => {
    expect(diagnosePingStatus('UNIMPLEMENTED', 'unknown service opensaves.OpenSaves', ADDR, false)).toContain('use TRANSPORT=http');
    expect(diagnosePingStatus('UNAUTHENTICATED', '', ADDR, false)).toContain('requires a token (UNAUTHENTICATED); set OPEN_SAVES_AUTH_TOKEN');
    expect(diagnosePingStatus('UNAUTHENTICATED', '', ADDR, true)).toContain('did not accept OPEN_SAVES_AUTH_TOKEN');
    expect(diagnosePingStatus('PERMISSION_DENIED', '', ADDR, true)).toContain('refused OPEN_SAVES_AUTH_TOKEN (PERMISSION_DENIED)');
  });

  it('retries UNAVAILABLE, which injected faults or a starting server give', () => {
    expect(diagnosePingStatus('UNAVAILABLE', 'injected', ADDR, false)).toBeUndefined();
    expect(diagnosePingStatus('OK', '', ADDR, false)).toBeUndefined();
  });
});

describe('an HTTP answer', () => {
  const URL = 'https://d111.cloudfront.net';

  it("is CloudFront's WAF when a 403 comes from CloudFront", () => {
    const blocked = answer({ status: 403, server: 'CloudFront', xCache: 'Error from cloudfront', body: '<h1>403 ERROR</h1> Request blocked.' });
    const verdict = diagnoseHttp(blocked, URL, 'GET /health', false);
    expect(verdict).toEqual({ line: expect.stringContaining("CloudFront's WAF blocked this runner's address") });
    expect((verdict as { line: string }).line).toContain('allow-list');
  });

  it('is a token problem when the API itself answers 401 or 403', () => {
    expect(diagnoseHttp(answer({ status: 401 }), URL, 'GET /api/stores/{store_id}', false)).toEqual({ line: expect.stringContaining('set OPEN_SAVES_AUTH_TOKEN') });
    expect(diagnoseHttp(answer({ status: 403, server: 'nginx' }), URL, 'GET /api/stores/{store_id}', true)).toEqual({ line: expect.stringContaining('refused OPEN_SAVES_AUTH_TOKEN') });
  });

  it('is retried when the server answers 503, and fine when it answers 200 or 404 for the probe store', () => {
    expect(diagnoseHttp(answer({ status: 503 }), URL, 'GET /health', false)).toEqual({ retry: 'GET /health answered 503' });
    expect(diagnoseHttp(answer({ status: 404 }), URL, 'GET /api/stores/{store_id}', false)).toEqual({ ok: true });
    expect(diagnoseHttp(answer({ status: 404 }), URL, 'GET /health', false)).toEqual({ line: expect.stringContaining('has no /health') });
  });

  it('names OPEN_SAVES_HTTP_URL for the network errors k6 reports', () => {
    const network = (error: string) => diagnoseHttp(answer({ status: 0, error }), 'http://127.0.0.1:6000', 'GET /health', false);
    expect(network('dial: connection refused')).toEqual({ line: expect.stringContaining('nothing is listening at http://127.0.0.1:6000') });
    expect(network('lookup: no such host')).toEqual({ line: expect.stringContaining('in OPEN_SAVES_HTTP_URL is not found') });
    expect(network('malformed HTTP response "\\x00\\x00\\x00\\x04\\x00"')).toEqual({ line: expect.stringContaining('answers HTTP/2 frames only (a gRPC port?)') });
    expect(network('EOF')).toEqual({ tryHttps: true });
  });
});
