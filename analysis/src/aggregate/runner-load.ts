// Per runner (the `instance` tag, else the input file's name): iterations started and dropped per time bucket, so the
// scaling analysis can tell which of a distributed run's runners kept up with its share of the offered load.
// Bounded: runners × time buckets, two numbers each.

/** [bucket index, iterations started, iterations dropped] */
export type RunnerBucket = [index: number, iterations: number, dropped: number];

export type SerializedRunnerLoads = [runner: string, buckets: RunnerBucket[]][];

export class RunnerLoads {
  /** runner -> bucket index -> [iterations, dropped] */
  readonly runners = new Map<string, Map<number, [number, number]>>();
  // Consecutive iterations come from one runner and fall in one bucket: the last cell is kept at hand.
  private lastRunner = '';
  private lastIndex = Number.NaN;
  private lastCell: [number, number] | null = null;

  add(runner: string, index: number, iterations: number, dropped: number): void {
    let cell = runner === this.lastRunner && index === this.lastIndex ? this.lastCell : null;
    if (cell === null) {
      let buckets = this.runners.get(runner);
      if (buckets === undefined) this.runners.set(runner, (buckets = new Map()));
      cell = buckets.get(index) ?? null;
      if (cell === null) buckets.set(index, (cell = [0, 0]));
      this.lastRunner = runner;
      this.lastIndex = index;
      this.lastCell = cell;
    }
    cell[0] += iterations;
    cell[1] += dropped;
  }

  toJSON(): SerializedRunnerLoads {
    return [...this.runners].map(([runner, buckets]) => [runner, [...buckets].map(([index, [iterations, dropped]]) => [index, iterations, dropped])]);
  }

  merge(other: SerializedRunnerLoads): void {
    for (const [runner, buckets] of other) for (const [index, iterations, dropped] of buckets) this.add(runner, index, iterations, dropped);
  }
}
