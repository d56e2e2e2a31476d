// The default mix cut down to one operation class, so bench/mixed.ts can price each class of the mix alone.

export interface MixFile {
  read: Record<string, number>;
  write: Record<string, number>;
}

/** The default mix cut down to one operation class; a class with only reads (or writes) runs READ_RATIO 1 (or 0). */
export function classMix(mix: MixFile, ops: readonly string[]): { mix: MixFile; readRatio?: string } {
  const keep = (weights: Record<string, number>) => Object.fromEntries(Object.entries(weights).filter(([op, weight]) => ops.includes(op) && weight > 0));
  const read = keep(mix.read);
  const write = keep(mix.write);
  const hasRead = Object.keys(read).length > 0;
  const hasWrite = Object.keys(write).length > 0;
  if (!hasRead && !hasWrite) throw new Error(`the default mix weighs none of ${ops.join(', ')}`);
  // The mix format needs both classes; the one READ_RATIO never picks repeats the other.
  if (!hasWrite) return { mix: { read, write: read }, readRatio: '1' };
  if (!hasRead) return { mix: { read: write, write }, readRatio: '0' };
  return { mix: { read, write } };
}

