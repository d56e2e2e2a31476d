// Latency histograms, milliseconds at the interface. LatencyHistogram (hdr-histogram-js, three significant digits,
// exact min/max/mean alongside) gives every reported percentile. BucketHistogram is a small log-linear histogram
// (about 3% wide bins, 3.5 KB) for the many operation x time-bucket cells behind the over-time charts and the
// per-step checks of capacity runs: an HDR histogram per cell costs 13 KB or more and 4x the time per value.
import * as hdr from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import { HISTOGRAM_DIGITS, HISTOGRAM_HIGHEST_US } from '../config/constants.js';

/** Recorded values as flat [valueUs, count, valueUs, count, ...]: cheap to post between threads and to store. */
export type SparseCounts = number[];

export class LatencyHistogram {
  private readonly hdr: JsHistogram;
  count = 0;
  sumMs = 0;
  /** null until the first value: "no samples" is not zero */
  minMs: number | null = null;
  maxMs: number | null = null;

  constructor() {
    this.hdr = hdr.build({
      bitBucketSize: 32,
      autoResize: false,
      lowestDiscernibleValue: 1,
      highestTrackableValue: HISTOGRAM_HIGHEST_US,
      numberOfSignificantValueDigits: HISTOGRAM_DIGITS,
      useWebAssembly: false,
    }) as JsHistogram;
  }

  record(ms: number): void {
    const us = Math.round(ms * 1000);
    this.hdr.recordValue(us < 0 ? 0 : us > HISTOGRAM_HIGHEST_US ? HISTOGRAM_HIGHEST_US : us);
    this.count++;
    this.sumMs += ms;
    if (this.minMs === null || ms < this.minMs) this.minMs = ms;
    if (this.maxMs === null || ms > this.maxMs) this.maxMs = ms;
  }

  get meanMs(): number | null {
    return this.count === 0 ? null : this.sumMs / this.count;
  }

  /** Value at a percentile (0..100), in ms, kept inside the exact min/max; null when empty. */
  percentileMs(percentile: number): number | null {
    if (this.count === 0 || this.minMs === null || this.maxMs === null) return null;
    const ms = this.hdr.getValueAtPercentile(percentile) / 1000;
    return Math.min(this.maxMs, Math.max(this.minMs, ms));
  }

  /**
   * The percentile as k6 computes it for a trend and its thresholds: linear between the two samples around the rank
   * p/100 × (n − 1), counted from 0. Each sample is read from the histogram (within its 0.1 %), the ends exact.
   */
  interpolatedPercentileMs(percentile: number): number | null {
    if (this.count === 0 || this.minMs === null || this.maxMs === null) return null;
    const rank = (Math.min(100, Math.max(0, percentile)) / 100) * (this.count - 1);
    const below = Math.floor(rank);
    const low = this.sampleMs(below);
    return rank === below ? low : low + (this.sampleMs(below + 1) - low) * (rank - below);
  }

  /** The sample at `index` (from 0) in ascending order; `getValueAtPercentile(100 k / n)` is the k-th smallest. */
  private sampleMs(index: number): number {
    if (index <= 0) return this.minMs!;
    if (index >= this.count - 1) return this.maxMs!;
    const ms = this.hdr.getValueAtPercentile((100 * (index + 1)) / this.count) / 1000;
    return Math.min(this.maxMs!, Math.max(this.minMs!, ms));
  }

  add(other: LatencyHistogram): void {
    this.addSparse(other.toSparse(), other.count, other.sumMs, other.minMs, other.maxMs);
  }

  /** Adds counts exported by toSparse() (possibly from another thread) with their exact statistics. */
  addSparse(counts: SparseCounts, count: number, sumMs: number, minMs: number | null, maxMs: number | null): void {
    for (let i = 0; i < counts.length; i += 2) this.hdr.recordValueWithCount(counts[i]!, counts[i + 1]!);
    this.count += count;
    this.sumMs += sumMs;
    if (minMs !== null && (this.minMs === null || minMs < this.minMs)) this.minMs = minMs;
    if (maxMs !== null && (this.maxMs === null || maxMs > this.maxMs)) this.maxMs = maxMs;
  }

  toSparse(): SparseCounts {
    const out: SparseCounts = [];
    const length = this.hdr.countsArrayLength;
    for (let index = 0; index < length; index++) {
      const n = this.hdr.getCountAtIndex(index);
      if (n > 0) out.push(this.hdr.valueFromIndex(index), n);
    }
    return out;
  }

  toJSON(): SerializedHistogram {
    return { counts: this.toSparse(), count: this.count, sumMs: this.sumMs, minMs: this.minMs, maxMs: this.maxMs };
  }

  static fromJSON(data: SerializedHistogram): LatencyHistogram {
    const histogram = new LatencyHistogram();
    histogram.addSparse(data.counts, data.count, data.sumMs, data.minMs, data.maxMs);
    return histogram;
  }

  /** (valueMs, count) pairs in ascending value order, for distribution charts and rank tests. */
  *entries(): Generator<[number, number]> {
    const counts = this.toSparse();
    for (let i = 0; i < counts.length; i += 2) yield [counts[i]! / 1000, counts[i + 1]!];
  }
}

export interface SerializedHistogram {
  counts: SparseCounts;
  count: number;
  sumMs: number;
  minMs: number | null;
  maxMs: number | null;
}

// BucketHistogram layout: values below 2^(SUB_BITS+1) us get their own bin; above, each power of two is split into
// 2^SUB_BITS bins. The bin index is computed with one clz32, so recording costs a few nanoseconds.
const SUB_BITS = 5;
const SUB_COUNT = 1 << SUB_BITS;
const EXACT_LIMIT = SUB_COUNT * 2;
const BUCKET_BINS = (32 - SUB_BITS) * SUB_COUNT + SUB_COUNT;

function binOf(us: number): number {
  if (us < EXACT_LIMIT) return us;
  const exponent = 31 - Math.clz32(us);
  return (exponent - SUB_BITS) * SUB_COUNT + (us >>> (exponent - SUB_BITS));
}

/** Middle of a bin, in microseconds. */
function binMiddleUs(bin: number): number {
  if (bin < EXACT_LIMIT) return bin;
  const exponent = Math.floor(bin / SUB_COUNT) + SUB_BITS - 1;
  const mantissa = bin - (exponent - SUB_BITS) * SUB_COUNT;
  const width = 2 ** (exponent - SUB_BITS);
  return mantissa * width + (width - 1) / 2;
}

export class BucketHistogram {
  // Only the range of bins in use is stored (a cell's latencies usually span a few powers of two, ~1 KB).
  private bins = new Uint32Array(0);
  private firstBin = 0;
  count = 0;

  record(ms: number): void {
    // `| 0` is not usable above 2^31 us (36 minutes); clamping first keeps `>>>` in binOf exact.
    const us = ms <= 0 ? 0 : ms >= HISTOGRAM_HIGHEST_US / 1000 ? HISTOGRAM_HIGHEST_US : Math.round(ms * 1000);
    this.addToBin(binOf(us), 1);
  }

  private addToBin(bin: number, n: number): void {
    let index = bin - this.firstBin;
    if (index < 0 || index >= this.bins.length) {
      this.cover(bin);
      index = bin - this.firstBin;
    }
    this.bins[index]! += n;
    this.count += n;
  }

  /** Grows the stored range to include `bin`, with slack so that growing is rare. */
  private cover(bin: number): void {
    if (this.bins.length === 0) {
      this.firstBin = bin;
      this.bins = new Uint32Array(1);
      return;
    }
    const lastBin = this.firstBin + this.bins.length - 1;
    const low = bin < this.firstBin ? Math.max(0, bin - SUB_COUNT) : this.firstBin;
    const high = bin > lastBin ? Math.min(BUCKET_BINS - 1, bin + SUB_COUNT) : lastBin;
    const grown = new Uint32Array(high - low + 1);
    grown.set(this.bins, this.firstBin - low);
    this.bins = grown;
    this.firstBin = low;
  }

  add(other: BucketHistogram): void {
    for (let i = 0; i < other.bins.length; i++) if (other.bins[i]! > 0) this.addToBin(other.firstBin + i, other.bins[i]!);
  }

  /** Nearest-rank percentile (0..100) in ms, the middle of its bin; null when empty. */
  percentileMs(percentile: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil((percentile / 100) * this.count - 1e-9));
    let seen = 0;
    for (let i = 0; i < this.bins.length; i++) {
      seen += this.bins[i]!;
      if (seen >= rank) return binMiddleUs(this.firstBin + i) / 1000;
    }
    return binMiddleUs(this.firstBin + this.bins.length - 1) / 1000;
  }

  /** Non-empty bins as flat [bin, count, ...], for posting between threads. */
  toSparse(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.bins.length; i++) if (this.bins[i]! > 0) out.push(this.firstBin + i, this.bins[i]!);
    return out;
  }

  static fromSparse(sparse: readonly number[]): BucketHistogram {
    const histogram = new BucketHistogram();
    for (let i = 0; i < sparse.length; i += 2) histogram.addToBin(sparse[i]!, sparse[i + 1]!);
    return histogram;
  }
}
