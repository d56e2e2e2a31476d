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
    removes: 'the status check after every call (check with op/kind tags; a verified read then records its read-back check alone)',
    replacements: [
      [/  statusChecks\.call\(op, ok, \w+\.readBack\);\n/g, ''],
      [/    if \(!statusWaits \|\| !statusChecks\.readBack\(op, sentence, holds\)\) recordFolded\(holds\);\n/g, ''],
      [/    recordStatus\(true\);\n/g, ''],
    ],
  },
  {
    name: 'no-verify-check',
    removes: 'the read-back checks recorded on their own (those a status check does not carry)',
    replacements: [[/  recordChecks\(holds \? (\w+)\.passed : \1\.failed, \1\.tags\);\n/g, '']],
  },
  {
    name: 'no-call-params',
    removes: 'per-call params (op tag, deadline, metadata)',
    replacements: [[/client\.invoke\((\w+)\.method, request, callParams\(op, \1, UNARY_DEADLINE, \w+\)\)/g, 'client.invoke($1.method, request)']],
  },
  {
    name: 'no-iteration-tags',
    removes: "the VU's read/write schedule and the class tag written when it changes (a mix of one operation has neither)",
    replacements: [
      [/\(readsNext \?\?= \w+\(\w+\.readRatio, \w+\(\w+\.vu\.idInTest\)\)\)\(\)/g, 'true'],
      [/        \(vuTags \?\?= \w+\.vu\.metrics\.tags\)\.class = iterationClass;\n/g, ''],
    ],
  },
  {
    name: 'no-testid-tag',
    removes: 'the test-wide testid tag on every sample',
    replacements: [[/tags: (\w+)\.runId \? \{ testid: \1\.runId \} : \{\}/g, 'tags: {}']],
  },
  {
    name: 'no-record-verify',
    removes: 'the sampled verification of GetRecord reads of seeded records (every read then checks its status only)',
    replacements: [[/\(ref\) => nextSampledReadIsFull\(ref, 0, (\w+)\.verifyEvery\)/g, '() => false']],
  },
];

/** Blob payloads left out of the init context; also used, anchor by anchor, by the memory benchmark. */
export const LAZY_PAYLOADS: BundleEdit = {
  name: 'lazy-payloads',
  removes: 'blob payloads built on first use (a Ping or GetRecord run never builds them)',
  replacements: [
    ['config2.blobSizes.map(makePayload)', '[]'],
    ['var chunk = makePayload(CHUNK_BYTES);', 'var chunk = null;'],
  ],
};

/**
 * Proposed fixes rather than removals: the bundle keeps doing the work, only
 * cheaper. Measured by bench/overhead.ts next to the removals above. The fixes
 * proposed so far (per-VU call objects, synchronous iterations, cached execution
 * objects, memoised and cheaper expected records) are in scripts/ now.
 */
export const PROPOSED_FIXES: readonly BundleEdit[] = [LAZY_PAYLOADS];

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
