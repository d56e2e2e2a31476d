// The byte budget of the in-memory state (--max-bytes). Writes reserve their
// estimated size first, so a write past the budget fails before anything changes.
import { resourceExhausted } from '../errors.js';

export class ByteBudget {
  readonly maxBytes: number;
  private used = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get usedBytes(): number {
    return this.used;
  }

  /** Reserves `bytes` (may be negative, which releases). Throws RESOURCE_EXHAUSTED past the budget. */
  adjust(bytes: number): void {
    if (bytes > 0 && this.used + bytes > this.maxBytes) {
      throw resourceExhausted(
        `state byte budget exhausted: ${this.used} of ${this.maxBytes} bytes used, ${bytes} more requested (raise --max-bytes)`,
      );
    }
    this.used += bytes;
    if (this.used < 0) this.used = 0;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
