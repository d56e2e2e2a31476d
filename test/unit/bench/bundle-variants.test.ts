import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { applyEdits, PER_CALL_EDITS, PROPOSED_FIXES } from '../../../bench/lib/generators/bundle-edits.js';
import { VariantError, withProtoset } from '../../../bench/lib/generators/protoset-variant.js';
import { bundleScenarios } from '../scenarios/bundles.js';

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
  const iterationTags = PER_CALL_EDITS.find((edit) => edit.name === 'no-iteration-tags')!;
  const statusLine = '  statusChecks.call(op, ok, options2.readBack);\n';

  it('removes a feature everywhere it occurs, whatever esbuild named its locals', () => {
    const foldedLine = '    if (!statusWaits || !statusChecks.readBack(op, sentence, holds)) recordFolded(holds);\n';
    const statusOnlyLine = '    recordStatus(true);\n';
    const outcome = applyEdits(`a\n${statusLine}b\n${statusLine.replaceAll('options2', 'options')}${foldedLine}${statusOnlyLine}c\n`, [statusCheck]);
    expect(outcome).toEqual({ source: 'a\nb\nc\n', missing: [] });
  });

  it('applies every replacement of a multi-part edit', () => {
    const source =
      '      const reads = (readsNext ??= readSchedule(config2.readRatio, vuPhase(exec6.vu.idInTest)))();\n' +
      '      if (iterationClass !== vuClass) {\n        vuClass = iterationClass;\n        (vuTags ??= exec6.vu.metrics.tags).class = iterationClass;\n      }\n';
    expect(applyEdits(source, [iterationTags]).source).toBe(
      '      const reads = true;\n      if (iterationClass !== vuClass) {\n        vuClass = iterationClass;\n      }\n',
    );
  });

  it('keeps what a pattern captured, so a renamed constant still matches', () => {
    const callParams = PER_CALL_EDITS.find((edit) => edit.name === 'no-call-params')!;
    const source = 'response = client.invoke(objects2.method, request, callParams(op, objects2, UNARY_DEADLINE, options3));';
    expect(applyEdits(source, [callParams]).source).toBe('response = client.invoke(objects2.method, request);');
  });

  it('reports anchors that the bundle no longer contains instead of measuring an unchanged copy', () => {
    const outcome = applyEdits('nothing to see', [statusCheck, iterationTags]);
    expect(outcome.source).toBe('nothing to see');
    expect(outcome.missing).toHaveLength(5);
    expect(outcome.missing[0]).toMatch(/^no-status-check: /);
  });
});

describe('the overhead breakdown against the mixed bundle as built', () => {
  it('finds the anchor of every per-call removal, so no case measures an unchanged copy', () => {
    const bundles = bundleScenarios();
    const bundled = readFileSync(bundles.path('mixed'), 'utf8');
    rmSync(bundles.root, { recursive: true, force: true });
    for (const edit of PER_CALL_EDITS) {
      const outcome = applyEdits(bundled, [edit]);
      expect(outcome.missing, edit.name).toEqual([]);
      expect(outcome.source, edit.name).not.toBe(bundled);
    }
  });
});

describe('the proposed fixes', () => {
  it('leave the blob payloads out of the init context', () => {
    const [lazy] = PROPOSED_FIXES;
    const bundle = 'var chunk = makePayload(CHUNK_BYTES);\nconst payloads = use ? config2.blobSizes.map(makePayload) : [];\n';
    expect(applyEdits(bundle, [lazy!])).toEqual({ source: 'var chunk = null;\nconst payloads = use ? [] : [];\n', missing: [] });
  });
});
