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
