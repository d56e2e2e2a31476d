// Requests made outside the scenario's iterations: setup() (the preflight included), teardown() and dist/cleanup.js.
// They are kept apart from the workload: their count, errors and time are reported on their own, and none of them
// reaches an operation's statistics, a threshold, an SLO verdict, a capacity step, the cost or the scaling figures.

export const HOUSEKEEPING_PHASES = ['setup', 'teardown', 'cleanup'] as const;
export type HousekeepingPhase = (typeof HOUSEKEEPING_PHASES)[number];

/** The scenario of dist/cleanup.js (scripts/scenarios/cleanup.ts): every request it makes is housekeeping. */
export const CLEANUP_SCENARIO = 'cleanup';

const SETUP_GROUP = '::setup';
const TEARDOWN_GROUP = '::teardown';
const COLON = 58;

/**
 * The housekeeping phase of a sample, or null for the workload. k6 (v1.8.1, checked on its JSON output) tags what
 * setup() and teardown() emit with the group `::setup` / `::teardown` (`::setup::name` inside a group of their own)
 * and no scenario; a scenario's iterations carry the group `` (`::name` inside a group) and their scenario's name,
 * so a group the script itself calls "setup" stays workload.
 */
export function housekeepingPhaseOf(group: string, scenario: string): HousekeepingPhase | null {
  if (scenario === '' && group.length !== 0 && group.charCodeAt(0) === COLON) {
    if (isGroup(group, SETUP_GROUP)) return 'setup';
    if (isGroup(group, TEARDOWN_GROUP)) return 'teardown';
  }
  return scenario === CLEANUP_SCENARIO ? 'cleanup' : null;
}

function isGroup(group: string, phaseGroup: string): boolean {
  return group.startsWith(phaseGroup) && (group.length === phaseGroup.length || group.startsWith('::', phaseGroup.length));
}
