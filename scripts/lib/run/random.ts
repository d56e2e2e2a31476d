// Small random helpers for picking among what setup() made.

export function pick<T>(items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick: nothing to choose from (did setup() create it?)');
  return items[Math.floor(Math.random() * items.length)] as T;
}

export function pickSome<T>(items: readonly T[], count: number): T[] {
  const chosen = new Set<T>();
  while (chosen.size < Math.min(count, items.length)) chosen.add(pick(items));
  return [...chosen];
}

/**
 * A picker over fixed [item, weight] pairs (weights > 0): the cumulative weights are
 * summed once, and a single entry is returned without a roll.
 */
export function weightedPicker<T>(weights: ReadonlyArray<readonly [T, number]>, random: () => number = Math.random): () => T {
  if (weights.length === 0) throw new Error('weightedPicker: no entries to choose from');
  const items = weights.map(([item]) => item);
  if (items.length === 1) {
    const only = items[0] as T;
    return () => only;
  }
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of weights) cumulative.push((total += weight));
  return () => {
    const roll = random() * total;
    for (let i = 0; i < cumulative.length - 1; i++) if (roll < (cumulative[i] as number)) return items[i] as T;
    return items[items.length - 1] as T;
  };
}
