// The blob payloads in real k6 (their k6/crypto and k6/encoding calls exist only
// there): each size class's pieces decode to its size, its MD5 and CRC32C are
// those of the decoded bytes, and ContentDigest reports the length and MD5 of
// whatever it is fed, however a server cuts the pieces and whether the bytes are
// a payload's, a corrupted copy or foreign.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/emulator-process.js';
import { runK6 } from '../../helpers/k6.js';

const scratch = mkdtempSync(join(tmpdir(), 'opensaves-payloads-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Every case logs one line `case <name> <ok|MISMATCH ...>`; the test reads them all.
const ENTRY = `
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import { makePayload, ContentDigest } from ${JSON.stringify(join(REPO_ROOT, 'scripts/lib/model/payloads.ts'))};
import { crc32c } from ${JSON.stringify(join(REPO_ROOT, 'proto/crc32c.ts'))};

export const options = { vus: 1, iterations: 1 };

function report(name, expected, actual) {
  const same = JSON.stringify(expected) === JSON.stringify(actual);
  console.log('case ' + name + ' ' + (same ? 'ok' : 'MISMATCH expected ' + JSON.stringify(expected) + ' got ' + JSON.stringify(actual)));
}

function concat(parts) {
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const part of parts) { bytes.set(new Uint8Array(part), at); at += part.byteLength; }
  return bytes;
}

// A server's view of the bytes: pieces of pieceBytes each, base64 encoded one by one.
function serverPieces(bytes, pieceBytes) {
  const pieces = [];
  for (let at = 0; at < bytes.length; at += pieceBytes) pieces.push(encoding.b64encode(bytes.slice(at, at + pieceBytes).buffer));
  return pieces;
}

function digestOf(pieces) {
  const digest = new ContentDigest();
  for (const piece of pieces) digest.add(piece);
  return { bytes: digest.bytes, md5: digest.md5() };
}

export default function () {
  const sizes = [0, 1, 2, 1024, 12288, 12289, 16384, 102400, 1044480, 1048576, 1048577, 3145730, 10485760];
  for (const size of sizes) {
    const payload = makePayload(size);
    const bytes = concat(payload.pieces.map((piece) => encoding.b64decode(piece)));
    report('size ' + size, size, bytes.length);
    report('md5 ' + size, crypto.md5(bytes.buffer, 'base64'), payload.md5);
    if (size <= 102400) report('crc32c ' + size, crc32c(bytes), payload.crc32c);
    report('same object ' + size, true, makePayload(size) === payload);
    const truth = { bytes: size, md5: payload.md5 };
    report('digest of upload pieces ' + size, truth, digestOf(payload.pieces));
    for (const pieceBytes of [1048576, 1000, 7, 65536]) {
      if (size / pieceBytes > 2000) continue;
      report('digest of ' + pieceBytes + '-byte pieces ' + size, truth, digestOf(serverPieces(bytes, pieceBytes)));
    }
    if (size === 12289 || size === 1048577 || size === 10485760) {
      for (const at of [0, Math.floor(size / 2), size - 1]) {
        const corrupt = bytes.slice();
        corrupt[at] ^= 0x01;
        const expected = { bytes: size, md5: crypto.md5(corrupt.buffer, 'base64') };
        report('digest of ' + size + ' bytes corrupted at ' + at, expected, digestOf(serverPieces(corrupt, 1048576)));
        if (size < 20000) report('digest of ' + size + ' bytes corrupted at ' + at + ' in 1000-byte pieces', expected, digestOf(serverPieces(corrupt, 1000)));
      }
    }
  }
  // Foreign bytes, a shorter copy, a longer copy, a second payload after the first.
  const foreign = new Uint8Array(crypto.randomBytes(300000));
  report('digest of foreign bytes', { bytes: foreign.length, md5: crypto.md5(foreign.buffer, 'base64') }, digestOf(serverPieces(foreign, 65536)));
  const big = makePayload(1048576 * 2);
  const bigBytes = concat(big.pieces.map((piece) => encoding.b64decode(piece)));
  const short = bigBytes.slice(0, 1500000);
  report('digest of a shorter copy', { bytes: short.length, md5: crypto.md5(short.buffer, 'base64') }, digestOf(serverPieces(short, 1048576)));
  const twice = concat([bigBytes.buffer, bigBytes.buffer]);
  report('digest of a payload sent twice', { bytes: twice.length, md5: crypto.md5(twice.buffer, 'base64') }, digestOf(serverPieces(twice, 1048576)));
  report('digest of nothing', { bytes: 0, md5: crypto.md5(new ArrayBuffer(0), 'base64') }, digestOf(['', '']));
}
`;

describe('blob payloads in k6', () => {
  it('decode to their size and checksums, and ContentDigest reports the bytes it was fed', async () => {
    const entry = join(scratch, 'entry.js');
    writeFileSync(entry, ENTRY);
    const script = join(scratch, 'payloads.js');
    await build({ entryPoints: [entry], outfile: script, bundle: true, format: 'esm', platform: 'browser', target: 'es2021', external: ['k6', 'k6/*'], logLevel: 'error' });

    const run = await runK6(script, { timeoutMs: 120_000 });

    expect(run.exitCode, run.stderr).toBe(0);
    const cases = [...run.stderr.matchAll(/case (.+?) (ok|MISMATCH.*?)"/g)].map((match) => ({ name: match[1], outcome: match[2] }));
    expect(cases.length).toBeGreaterThan(80);
    expect(cases.filter((c) => c.outcome !== 'ok')).toEqual([]);
  });
});
