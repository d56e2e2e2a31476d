import { describe, expect, it } from 'vitest';
import { applyEdits, PER_CALL_EDITS, PROPOSED_FIXES } from '../../../bench/lib/bundle-edits.js';
import { VariantError, withProtoset } from '../../../bench/lib/protoset-variant.js';

describe('withProtoset', () => {
  it('replaces every proto load of the bundle with loadProtoset of the given file', () => {
    const bundle = 'var client = new grpc.Client();\nclient.load(["../proto"], "open_saves.proto");\nsetupClient.load([ "../proto" ], \'open_saves.proto\');\n';
    const rewritten = withProtoset(bundle, '/tmp/x/open_saves.protoset', 'mixed.js');
    expect(rewritten).toBe(
      'var client = new grpc.Client();\nclient.loadProtoset("/tmp/x/open_saves.protoset");\nsetupClient.loadProtoset("/tmp/x/open_saves.protoset");\n',
    );
  });

  it('refuses a bundle that loads its proto some other way, naming the bundle', () => {
    expect(() => withProtoset('client.load(["proto"], "other.proto");', '/p', 'odd.js')).toThrow(VariantError);
    expect(() => withProtoset('client.load(["proto"], "other.proto");', '/p', 'odd.js')).toThrow(/bundle odd\.js has no/);
  });
});

describe('applyEdits', () => {
  const statusCheck = PER_CALL_EDITS.find((edit) => edit.name === 'no-status-check')!;
  const iteration = PER_CALL_EDITS.find((edit) => edit.name === 'sync-iteration')!;

  it('removes a feature everywhere it occurs', () => {
    const line = statusCheck.replacements[0]![0];
    const outcome = applyEdits(`a\n${line}b\n${line}c\n`, [statusCheck]);
    expect(outcome).toEqual({ source: 'a\nb\nc\n', missing: [] });
  });

  it('applies every replacement of a multi-part edit', () => {
    const source = '    async iterate(data) {\n      await action({ data, payloads });\n';
    expect(applyEdits(source, [iteration]).source).toBe('    iterate(data) {\n      action({ data, payloads });\n');
  });

  it('keeps what a pattern captured, so a renamed constant still matches', () => {
    const callParams = PER_CALL_EDITS.find((edit) => edit.name === 'no-call-params')!;
    const source = 'response = client.invoke(`${SERVICE_NAME}/${op}`, request, callParams(op, UNARY_DEADLINE, options3));';
    expect(applyEdits(source, [callParams]).source).toBe('response = client.invoke(`${SERVICE_NAME}/${op}`, request);');
  });

  it('reports anchors that the bundle no longer contains instead of measuring an unchanged copy', () => {
    const outcome = applyEdits('nothing to see', [statusCheck, iteration]);
    expect(outcome.source).toBe('nothing to see');
    expect(outcome.missing).toHaveLength(3);
    expect(outcome.missing[0]).toMatch(/^no-status-check: check\(null/);
  });
});

describe('the memoized expected-record fix', () => {
  it('builds each expected record once per key, seed and version and returns the same record afterwards', () => {
    const memo = PROPOSED_FIXES.find((edit) => edit.name === 'memo-expected-record')!;
    const bundle = 'function buildRecord(key, seed, version = 0) {\n  built++;\n  return { key, seed, version };\n}\n';
    const { source, missing } = applyEdits(bundle, [memo]);
    expect(missing).toEqual([]);
    const run = new Function(`let built = 0;\n${source}\nreturn { buildRecord, count: () => built };`) as () => {
      buildRecord: (key: string, seed: number, version?: number) => object;
      count: () => number;
    };
    const { buildRecord, count } = run();
    const first = buildRecord('save-1', 7);
    expect(buildRecord('save-1', 7, 0)).toBe(first);
    expect(first).toEqual({ key: 'save-1', seed: 7, version: 0 });
    expect(buildRecord('save-1', 7, 1)).toEqual({ key: 'save-1', seed: 7, version: 1 });
    expect(count()).toBe(2);
  });
});
