// A DynamoDB table's capacity as a token bucket: it refills at the provisioned rate
// and holds up to `burstSeconds` of unused capacity (DynamoDB keeps up to 300 s of it
// for bursts). A request that finds too few tokens is throttled; consumption learnt
// after the fact (a read's real size) is charged even into debt, as DynamoDB does.
import type { ModelClock } from './clock.js';

export class TokenBucket {
  readonly capacity: number;
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly ratePerSecond: number,
    burstSeconds: number,
    private readonly clock: ModelClock,
  ) {
    this.capacity = ratePerSecond * burstSeconds;
    this.tokens = this.capacity;
    this.updatedAt = clock.now();
  }

  get available(): number {
    this.refill();
    return this.tokens;
  }

  /** Takes `units` if the bucket holds them (a full bucket always serves, so one oversized request is not refused forever). */
  take(units: number): boolean {
    this.refill();
    if (this.tokens < units && this.tokens < this.capacity) return false;
    this.tokens -= units;
    return true;
  }

  /** Charges a correction (positive or negative) without refusing. */
  charge(units: number): void {
    this.refill();
    this.tokens = Math.min(this.capacity, this.tokens - units);
  }

  private refill(): void {
    const now = this.clock.now();
    if (now <= this.updatedAt) return;
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
    this.updatedAt = now;
  }
}
