// Per-call features of the bundles, each as an edit that removes it from a
// built bundle, so bench/overhead.ts can measure what every feature costs on
// top of the bare gRPC call. The anchors are the code esbuild emits from
// scripts/lib; when a scenario changes, an edit whose anchor is gone is
// reported as not applicable instead of silently measuring nothing.

export interface BundleEdit {
  name: string;
  /** what the edit takes away, for the printed table */
  removes: string;
  /** literal text, or a global RegExp whose `to` may use $1 and so on */
  replacements: readonly (readonly [from: string | RegExp, to: string])[];
}

export const PER_CALL_EDITS: readonly BundleEdit[] = [
  {
    name: 'no-status-check',
    removes: 'the status check after every call (check with op/kind tags)',
    replacements: [['  check(null, { [`the ${op} call ends with an expected status`]: () => ok }, { op, kind: "status" });\n', '']],
  },
  {
    name: 'no-verify-check',
    removes: 'the read-back verification check',
    replacements: [['  check2(null, { [sentence]: () => holds }, { op, kind: "verify" });\n', '']],
  },
  {
    name: 'no-request-counter',
    removes: 'opensaves_requests.add() with op/status tags',
    replacements: [['  requests.add(1, tags);\n  if (!ok) {', '  if (!ok) {']],
  },
  {
    name: 'no-call-params',
    removes: 'per-call params (op tag, deadline, metadata)',
    replacements: [[/client\.invoke\((`\$\{\w+\}\/\$\{op\}`), request, callParams\(op, UNARY_DEADLINE, \w+\)\)/g, 'client.invoke($1, request)']],
  },
  {
    name: 'sync-iteration',
    removes: 'the async iteration (a Promise per iteration)',
    replacements: [
      ['    async iterate(data) {', '    iterate(data) {'],
      ['      await action({ data, payloads });', '      action({ data, payloads });'],
    ],
  },
  {
    name: 'no-iteration-tags',
    removes: 'exec.scenario / exec.vu reads and the class tag set every iteration',
    replacements: [
      ['isReadIteration(exec6.scenario.iterationInTest, config2.readRatio)', 'true'],
      ['      exec6.vu.metrics.tags.class = reads ? "read" : "write";\n', ''],
    ],
  },
  {
    name: 'no-testid-tag',
    removes: 'the test-wide testid tag on every sample',
    replacements: [[/tags: (\w+)\.runId \? \{ testid: \1\.runId \} : \{\}/g, 'tags: {}']],
  },
  {
    name: 'no-record-verify',
    removes: 'rebuilding the expected record and comparing it on every GetRecord',
    replacements: [['const differences = recordDifferences(result.message, buildRecord(ref.key, ref.seed, version));', 'const differences = [];']],
  },
];

/** Blob payloads left out of the init context; also used, anchor by anchor, by the memory benchmark. */
export const LAZY_PAYLOADS: BundleEdit = {
  name: 'lazy-payloads',
  removes: 'blob payloads built on first use (a Ping or GetRecord run never builds them)',
  replacements: [
    ['var fullPieceBase64 = blockBase64.repeat(BLOCKS_PER_PIECE);', 'var fullPieceBase64 = "";'],
    ['config2.blobSizes.map(makePayload)', '[]'],
    ['var chunk = makePayload(CHUNK_BYTES);', 'var chunk = null;'],
  ],
};

/**
 * Proposed fixes rather than removals: the bundle keeps doing the work, only
 * cheaper. Measured by bench/overhead.ts next to the removals above.
 */
export const PROPOSED_FIXES: readonly BundleEdit[] = [
  LAZY_PAYLOADS,
  {
    name: 'status-check-on-failure',
    removes: 'status check recorded only when a call fails (opensaves_errors already counts failures)',
    replacements: [
      [
        '  check(null, { [`the ${op} call ends with an expected status`]: () => ok }, { op, kind: "status" });\n',
        '  if (!ok) check(null, { [`the ${op} call ends with an expected status`]: () => ok }, { op, kind: "status" });\n',
      ],
    ],
  },
  {
    name: 'cached-iteration-tags',
    removes: 'a per-VU iteration counter and one cached exec.vu, class tag set only when it changes',
    replacements: [
      ['function isReadIteration(index, readRatio) {', 'var vuIterations = 0;\nvar vuInfo;\nvar vuClass;\nfunction isReadIteration(index, readRatio) {'],
      ['isReadIteration(exec6.scenario.iterationInTest, config2.readRatio)', 'isReadIteration(vuIterations++, config2.readRatio)'],
      [
        '      exec6.vu.metrics.tags.class = reads ? "read" : "write";\n',
        '      if (vuClass !== (reads ? "read" : "write")) {\n        vuClass = reads ? "read" : "write";\n        (vuInfo ??= exec6.vu).metrics.tags.class = vuClass;\n      }\n',
      ],
    ],
  },
  {
    name: 'memo-expected-record',
    removes: 'expected records memoized per VU (built once per key, seed and version)',
    replacements: [
      [
        'function buildRecord(key, seed, version = 0) {',
        'var expectedRecords = new Map();\nfunction buildRecord(key, seed, version = 0) {\n  const id = `${key}\\u0000${seed}\\u0000${version}`;\n  let record = expectedRecords.get(id);\n  if (record === void 0) {\n    record = buildRecordOnce(key, seed, version);\n    expectedRecords.set(id, record);\n  }\n  return record;\n}\nfunction buildRecordOnce(key, seed, version) {',
      ],
    ],
  },
];

export interface EditOutcome {
  source: string;
  /** anchors not found in the bundle */
  missing: string[];
}

/** Applies every replacement (all occurrences) of the given edits. */
export function applyEdits(source: string, edits: readonly BundleEdit[]): EditOutcome {
  let edited = source;
  const missing: string[] = [];
  for (const edit of edits) {
    for (const [from, to] of edit.replacements) {
      const found = typeof from === 'string' ? edited.includes(from) : new RegExp(from.source).test(edited);
      if (!found) missing.push(`${edit.name}: ${(typeof from === 'string' ? from.trim() : from.source).slice(0, 60)}`);
      else edited = typeof from === 'string' ? edited.split(from).join(to) : edited.replace(from, to);
    }
  }
  return { source: edited, missing };
}
