// One k6 sample as the aggregate takes it: the fields of a Point line, and a metric's declaration.
// The input parser fills these; the aggregate folds them.

export interface MetricDeclaration {
  name: string;
  type: string;
  contains: string;
  thresholds: string[];
}

/** The fields of one Point. One instance is reused for every line, so parsing allocates almost nothing. */
export class PointFields {
  metric = '';
  timeMs = 0;
  value = 0;
  // The tags the analysis uses; '' when absent.
  op = '';
  name = '';
  status = '';
  instance = '';
  expectedResponse = '';
  check = '';
  /** the scenarios' check kind: status or verify */
  kind = '';
  /** capacity runs tag every sample with the step it ran in */
  step = '';
  /** k6's group path: `::setup` and `::teardown` (and their nested groups) for samples of setup() and teardown() */
  group = '';
  /** the k6 scenario; setup() and teardown() samples have none */
  scenario = '';
  declaration: MetricDeclaration | null = null;

  clearTags(): void {
    this.op = '';
    this.name = '';
    this.status = '';
    this.instance = '';
    this.expectedResponse = '';
    this.check = '';
    this.kind = '';
    this.step = '';
    this.group = '';
    this.scenario = '';
  }
}
