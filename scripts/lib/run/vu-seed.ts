// Seeds for records a VU creates: distinct from setup()'s seeds and unique per
// iteration across instances, so their content differs from every other record.
import exec from 'k6/execution';

const VU_SEED_BASE = 100_000_000;

export function iterationSeed(offset = 0): number {
  return VU_SEED_BASE + exec.scenario.iterationInTest * 16 + offset;
}
