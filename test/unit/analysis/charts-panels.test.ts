// Per-class chart panels: which operations share a panel, the eight-line cap and when the y axis goes logarithmic.
import { describe, expect, it } from 'vitest';
import { classPanels, operationClass, panelLines, wideSpread, type OperationLine } from '../../../analysis/src/charts/operation-classes.js';

const BLOB_OPS = ['CreateBlob', 'CreateChunkedBlob', 'CreateChunkUrls', 'UploadChunk', 'CommitChunkedUpload', 'AbortChunkedUpload', 'GetBlob', 'GetBlobChunk', 'DeleteBlob'];

const options = { what: 'p95 latency', yQuantity: 'p95 latency', yUnit: 'ms', xTitle: 'time since start (s)', labels: ['0s', '1s'], fold: 'max' as const };

describe('operation classes', () => {
  it('follow the catalogue for gRPC and HTTP names, with metadata and unknown ops apart', () => {
    expect(operationClass('QueryRecords')).toBe('records');
    expect(operationClass('AtomicInc')).toBe('atomic');
    expect(operationClass('Ping')).toBe('health');
    expect(operationClass('GetMetadata')).toBe('metadata');
    expect(operationClass('MyCustomCall')).toBe('other');
  });

  it('keep the top seven by rank and fold the rest into one line', () => {
    const lines: OperationLine[] = BLOB_OPS.map((op, i) => ({ op, data: [i, i + 1], rank: i }));
    const drawn = panelLines(lines, 'max');
    expect(drawn).toHaveLength(8);
    // Ranks 0 and 1 (CreateBlob, CreateChunkedBlob) are folded; the maximum of [0,1] and [1,2] per bucket.
    expect(drawn.map((d) => d.label)).not.toContain('CreateBlob');
    expect(drawn[7]).toEqual({ label: 'others (max of 2)', data: [1, 2], folded: true });
    expect(panelLines(lines, 'sum')[7]!.data).toEqual([1, 3]);
  });

  it('go logarithmic only when positive values span more than 20x, dropping zeros', () => {
    expect(wideSpread([{ data: [1, 20, null, 0] }])).toBe(false);
    expect(wideSpread([{ data: [1, null] }, { data: [21] }])).toBe(true);
    const panels = classPanels(
      [
        { op: 'GetRecord', data: [0, 100], rank: 1 },
        { op: 'CreateRecord', data: [1, 2], rank: 2 },
        { op: 'Ping', data: [3, 4], rank: 1 },
      ],
      options,
    );
    expect(panels.map((p) => p.id)).toEqual(['records', 'health']);
    const records = panels[0]!.config;
    expect(records.options?.scales?.y?.type).toBe('logarithmic');
    expect(records.data.datasets.find((d) => d.label === 'GetRecord')!.data).toEqual([null, 100]);
    expect(panels[1]!.config.options?.scales?.y?.type).toBeUndefined();
  });
});
