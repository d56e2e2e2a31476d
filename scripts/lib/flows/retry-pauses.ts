// The pauses between the tries of a read that found an older state (consistency.ts). Pure.

/** The pause before each retry, in ms: doubling, and summing to the budget. */
export function retryPausesMs(tries: number, budgetMs: number): number[] {
  const retries = Math.max(0, tries - 1);
  const units = 2 ** retries - 1;
  return Array.from({ length: retries }, (_, i) => (budgetMs * 2 ** i) / units);
}
