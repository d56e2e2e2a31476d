// The pure parts of the mixed workload's iteration: picking an operation by
// weight, and what setup() has to make for the operations a mix can pick.
import { describe, expect, it } from 'vitest';
import { weightedPicker } from '../../../scripts/lib/run/random.js';
import { setupNeeds } from '../../../scripts/lib/run/setup-needs.js';

describe('weightedPicker', () => {
  it('returns the only entry without drawing a number', () => {
    let draws = 0;
    const pick = weightedPicker([['Ping', 3]], () => {
      draws++;
      return 0.5;
    });
    expect([pick(), pick(), pick()]).toEqual(['Ping', 'Ping', 'Ping']);
    expect(draws).toBe(0);
  });

  it('maps each draw to the entry whose share of the total it falls in', () => {
    const draws = [0, 0.1999, 0.2, 0.6999, 0.7, 0.9999];
    let next = 0;
    const pick = weightedPicker(
      [
        ['GetRecord', 2],
        ['QueryRecords', 5],
        ['Ping', 3],
      ],
      () => draws[next++] as number,
    );
    expect(draws.map(() => pick())).toEqual(['GetRecord', 'GetRecord', 'QueryRecords', 'QueryRecords', 'Ping', 'Ping']);
  });

  it('honours the weights over many draws of Math.random', () => {
    const pick = weightedPicker([
      ['a', 1],
      ['b', 3],
    ]);
    let b = 0;
    for (let i = 0; i < 40_000; i++) if (pick() === 'b') b++;
    expect(b / 40_000).toBeGreaterThan(0.73);
    expect(b / 40_000).toBeLessThan(0.77);
  });

  it('refuses an empty list', () => {
    expect(() => weightedPicker([])).toThrow(/no entries/);
  });
});

describe('setupNeeds', () => {
  it('asks for nothing but stores when the mix only pings, stores and writes its own records', () => {
    expect(setupNeeds(['Ping', 'GetStore', 'ListStores', 'CreateRecord', 'UpdateRecord', 'CreateBlob'])).toEqual({
      seeds: false,
      blobs: false,
      chunked: false,
      counters: false,
    });
  });

  it('asks for what each reading operation reads', () => {
    expect(setupNeeds(['GetRecord'])).toEqual({ seeds: true, blobs: false, chunked: false, counters: false });
    expect(setupNeeds(['QueryRecords', 'GetBlob'])).toEqual({ seeds: true, blobs: true, chunked: false, counters: false });
    expect(setupNeeds(['CreateChunkUrls'])).toEqual({ seeds: false, blobs: false, chunked: true, counters: false });
    expect(setupNeeds(['AtomicInc'])).toEqual({ seeds: false, blobs: false, chunked: false, counters: true });
  });
});
