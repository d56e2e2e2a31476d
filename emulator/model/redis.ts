// The ElastiCache Redis node as the model sees it: keys with their bytes under a
// memory limit, least recently used keys evicted first (maxmemory-policy allkeys-lru),
// a TTL per key, and per-second counts of hits, misses, evictions and commands.
import type { CacheConfig } from './config.js';
import type { ModelClock } from './clock.js';

interface Entry {
  bytes: number;
  expiresAt: number;
}

export interface RedisSecond {
  hits: number;
  misses: number;
  evictions: number;
  commands: number;
}

export class RedisModel {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly entries = new Map<string, Entry>();
  usedBytes = 0;
  private second: RedisSecond = { hits: 0, misses: 0, evictions: 0, commands: 0 };
  totals: RedisSecond = { hits: 0, misses: 0, evictions: 0, commands: 0 };

  constructor(
    readonly config: CacheConfig,
    private readonly clock: ModelClock,
  ) {}

  get keys(): number {
    return this.entries.size;
  }

  /** GET: true on a hit. */
  get(key: string): boolean {
    this.count('commands');
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.clock.now()) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.count('hits');
      return true;
    }
    if (entry) this.remove(key, entry);
    this.count('misses');
    return false;
  }

  /** SET with the configured TTL; evicts least recently used keys past maxmemory. */
  set(key: string, valueBytes: number): void {
    this.count('commands');
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    const entry = { bytes: key.length + valueBytes + this.config.keyOverheadBytes, expiresAt: this.clock.now() + this.config.ttlSeconds * 1000 };
    this.entries.set(key, entry);
    this.usedBytes += entry.bytes;
    for (const [oldest, victim] of this.entries) {
      if (this.usedBytes <= this.config.memoryBytes || oldest === key) break;
      this.remove(oldest, victim);
      this.count('evictions');
    }
  }

  delete(key: string): void {
    this.count('commands');
    const entry = this.entries.get(key);
    if (entry) this.remove(key, entry);
  }

  /** This second's counts, then zeroed. */
  takeSecond(): RedisSecond {
    const second = this.second;
    this.second = { hits: 0, misses: 0, evictions: 0, commands: 0 };
    return second;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.usedBytes -= entry.bytes;
  }

  private count(what: keyof RedisSecond): void {
    this.second[what]++;
    this.totals[what]++;
  }
}
