// Load shapes: how the arrival rate moves over time for each profile. RATE, RAMP,
// HOLD and MAX_VUS override a profile's defaults; STAGES replaces the shape entirely.
import type { Config, ProfileName, Stage } from '../lib/config/config.js';

export interface ProfileShape {
  /** peak iterations per second */
  readonly rate: number;
  readonly ramp: string;
  readonly hold: string;
  readonly maxVus: number;
}

// Presets documented in the README: smoke finishes in seconds; the others are meant for real deployments.
export const PROFILE_DEFAULTS: Readonly<Record<ProfileName, ProfileShape>> = {
  smoke: { rate: 2, ramp: '2s', hold: '6s', maxVus: 10 },
  load: { rate: 100, ramp: '1m', hold: '5m', maxVus: 200 },
  stress: { rate: 500, ramp: '2m', hold: '5m', maxVus: 1000 },
  spike: { rate: 1000, ramp: '10s', hold: '2m', maxVus: 2000 },
  soak: { rate: 100, ramp: '5m', hold: '2h', maxVus: 300 },
  capacity: { rate: 5000, ramp: '10s', hold: '1m', maxVus: 5000 },
};

/** Number of equal rate steps the capacity profile climbs. */
export const CAPACITY_STEPS = 5;

export function resolveShape(config: Config): ProfileShape {
  const preset = PROFILE_DEFAULTS[config.profile];
  return {
    rate: config.rate ?? preset.rate,
    ramp: config.ramp ?? preset.ramp,
    hold: config.hold ?? preset.hold,
    maxVus: config.maxVus ?? preset.maxVus,
  };
}

export function buildStages(config: Config): Stage[] {
  if (config.stages) return [...config.stages];
  const { rate, ramp, hold } = resolveShape(config);
  const down = '10s';
  switch (config.profile) {
    case 'smoke':
    case 'load':
    case 'soak':
      return [
        { duration: ramp, target: rate },
        { duration: hold, target: rate },
      ];
    case 'stress':
      // Past the nominal peak: the second plateau at twice the rate is where things should break.
      return [
        { duration: ramp, target: rate },
        { duration: hold, target: rate },
        { duration: ramp, target: rate * 2 },
        { duration: hold, target: rate * 2 },
        { duration: down, target: 0 },
      ];
    case 'spike': {
      const baseline = Math.max(1, Math.round(rate / 10));
      return [
        { duration: down, target: baseline },
        { duration: hold, target: baseline },
        { duration: ramp, target: rate },
        { duration: hold, target: rate },
        { duration: ramp, target: baseline },
        { duration: hold, target: baseline },
      ];
    }
    case 'capacity':
      return capacityStages(rate, ramp, hold);
  }
}

/** Equal steps up to the peak rate, each a short ramp followed by a plateau. */
export function capacityStages(peak: number, ramp: string, hold: string): Stage[] {
  const stages: Stage[] = [];
  for (let step = 1; step <= CAPACITY_STEPS; step++) {
    const target = Math.round((peak * step) / CAPACITY_STEPS);
    stages.push({ duration: ramp, target }, { duration: hold, target });
  }
  return stages;
}

export function peakRate(stages: readonly Stage[]): number {
  return Math.max(1, ...stages.map((stage) => stage.target));
}

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function durationMs(duration: string): number {
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(DURATION_PART)) total += Number(amount) * (UNIT_MS[unit ?? 's'] ?? 0);
  return total;
}
