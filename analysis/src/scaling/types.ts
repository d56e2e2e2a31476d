// The scaling analysis's result: `Scaling` is what summary.json carries (exactly this shape); the rest feeds the
// report's paragraphs and the utilisation chart.

export interface ScalingEvidence {
  /** the series, e.g. "AWS/DynamoDB WriteThrottleEvents TableName=open-saves-records (Sum)", or a k6 metric */
  metric: string;
  value: number;
  /** ISO 8601 */
  time: string;
}

export interface ScalingComponent {
  /** e.g. "pods/HPA", "DynamoDB open-saves-records", "ElastiCache open-saves-redis-001", "WAF rate rule", "k6 runners" */
  name: string;
  /** offered load (iterations/s) when the component first showed saturation; null when it never did */
  saturatedAtRate: number | null;
  evidence: ScalingEvidence[];
  /**
   * the change that fixes it most cheaply, one imperative sentence (what the recommendation starts with); null when
   * today's setting already carries the goal
   */
  action: string | null;
  /** the lever first, then the sized setting for the goal rate */
  recommendation: string;
  /** how the setting was computed, in words and numbers */
  arithmetic: string;
}

export interface Scaling {
  /** iterations per second the settings are sized for */
  goalRate: number;
  /** the component that saturated first (or, when none did, the one nearest to it); null without server metrics */
  bottleneck: string | null;
  components: ScalingComponent[];
}

/** One component's utilisation, one point per server-metrics period the run covered. */
export interface UtilisationLine {
  component: string;
  /** what 100 % means, e.g. "CPU of the HPA target" */
  basis: string;
  /** x: offered iterations/s over the period, y: utilisation in percent, timeMs: the period's start (epoch ms) */
  points: Array<{ x: number; y: number; timeMs: number }>;
}

export interface ScalingAnalysis {
  scaling: Scaling;
  /** plain sentences for the report: the source, the goal, the bottleneck and its alignment with the SLO knee */
  findings: string[];
  utilisation: UtilisationLine[];
  /** when each component first saturated, earliest first: the overview chart marks these moments */
  saturations: Array<{ component: string; timeMs: number; offeredRate: number | null }>;
  /** what the rates count: iterations, or requests for scripts without iterations */
  unit: string;
  /** where the server metrics came from, e.g. "emulator-model via http://127.0.0.1:8080" */
  source: string | null;
}

/** What each component's analysis returns to the one that ranks them. */
export interface ComponentResult {
  component: ScalingComponent;
  /** epoch ms of the first saturation evidence; null when it never saturated */
  saturatedAtMs: number | null;
  utilisation: UtilisationLine | null;
  /** the highest utilisation (percent of its saturation point) over the run, to name the nearest when none saturated */
  peakUtilisation: number | null;
}
