// Records shaped like game saves (data/save-templates.json). Content is a pure
// function of (seed, version), so any read can be checked against what the run
// wrote without keeping a copy of it.
import templates from '../../../data/save-templates.json' with { type: 'json' };
import { boolProperty, intProperty, propertyValue, stringProperty, type Properties, type Property, type RecordMessage } from './messages.js';

interface PropertyTemplate {
  type: string;
  min?: number;
  max?: number;
  values?: string[];
}

const PROPERTY_TEMPLATES = templates.properties as Record<string, PropertyTemplate>;

// Every record a VU checks is built from its seed at least once, so generating one must
// be cheap: sobek runs rest parameters, for...of and Object.entries slowly, hence the
// fixed-arity mixer and the property specs prepared once.

/** One round of a well-mixed 32-bit hash (a small splitmix-style mixer). */
function mixStep(h: number, value: number): number {
  h = Math.imul(h ^ (value | 0), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

const MIX_SEED = 0x811c9dc5;

function mix2(a: number, b: number): number {
  return mixStep(mixStep(MIX_SEED, a), b) >>> 0;
}

function mix3(a: number, b: number, c: number): number {
  return mixStep(mixStep(mixStep(MIX_SEED, a), b), c) >>> 0;
}

function nameCode(name: string): number {
  let code = 0;
  for (let i = 0; i < name.length; i++) code = (Math.imul(code, 31) + name.charCodeAt(i)) | 0;
  return code;
}

interface PropertySpec {
  readonly name: string;
  readonly code: number;
  readonly template: PropertyTemplate;
}

const PROPERTY_SPECS: readonly PropertySpec[] = Object.entries(PROPERTY_TEMPLATES).map(([name, template]) => ({ name, code: nameCode(name), template }));
const TAG_COUNT = templates.tags.length;

export function ownerFor(seed: number): string {
  return `owner-${mix2(seed, 1) % templates.ownerCount}`;
}

export function tagsFor(seed: number): string[] {
  const tags: string[] = [];
  for (let i = 0; tags.length < templates.tagsPerRecord && i < 16; i++) {
    const tag = templates.tags[mix3(seed, 2, i) % TAG_COUNT] as string;
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags.sort();
}

export function propertiesFor(seed: number, version: number): Properties {
  const properties: Properties = {};
  for (let i = 0; i < PROPERTY_SPECS.length; i++) {
    const { name, code, template } = PROPERTY_SPECS[i] as PropertySpec;
    const roll = mix3(seed, version, code);
    if (template.type === 'INTEGER') {
      const min = template.min ?? 0;
      properties[name] = intProperty(min + (roll % ((template.max ?? min) - min + 1)));
    } else if (template.type === 'STRING') {
      const values = template.values ?? [''];
      properties[name] = stringProperty(values[roll % values.length] as string);
    } else {
      properties[name] = boolProperty(roll % 2 === 1);
    }
  }
  return properties;
}

function opaqueUnit(seed: number, version: number): string {
  return `save:${seed}:${version};`;
}

/**
 * The version a record read back was written at, from its opaque string (which spells
 * out seed and version); undefined when the string is not one this seed's writes make.
 */
export function writtenVersion(actual: RecordMessage, seed: number): number | undefined {
  const match = /^save:(-?\d+):(\d+);/.exec(actual.opaqueString ?? '');
  return match && Number(match[1]) === seed ? Number(match[2]) : undefined;
}

function opaqueFor(seed: number, version: number): string {
  const unit = opaqueUnit(seed, version);
  return unit.repeat(Math.ceil(templates.opaqueStringBytes / unit.length)).slice(0, templates.opaqueStringBytes);
}

/** The record a run writes for `seed`; each update bumps `version`. */
// Every GetRecord verification needs the expected record; building it (properties,
// tags, opaque text) cost more CPU than the call itself, so each VU keeps the ones it
// built. Bounded, because records created during a soak never stop coming.
const EXPECTED_RECORDS_KEPT = 4096;
const expectedRecords = new Map<string, RecordMessage>();

export function buildRecord(key: string, seed: number, version = 0): RecordMessage {
  const id = `${key}\u0000${seed}\u0000${version}`;
  let record = expectedRecords.get(id);
  if (record === undefined) {
    if (expectedRecords.size >= EXPECTED_RECORDS_KEPT) expectedRecords.clear();
    record = buildRecordOnce(key, seed, version);
    expectedRecords.set(id, record);
  }
  return record;
}

function buildRecordOnce(key: string, seed: number, version: number): RecordMessage {
  return {
    key,
    ownerId: ownerFor(seed),
    tags: tagsFor(seed),
    properties: propertiesFor(seed, version),
    opaqueString: opaqueFor(seed, version),
  };
}

// The expected record of each record read, kept with the reference it was read
// through: most reads go to the same seeded records, and finding one by its key,
// seed and version in the cache above (a string built and hashed per read) cost as
// much as comparing the record.
interface ExpectedRead {
  readonly version: number;
  readonly record: RecordMessage;
  /** whether the opaque string spells out seed and version (a template may make it too short to) */
  readonly opaqueProvesVersion: boolean;
  /** reads of this version so far */
  reads: number;
}
const expectedByRef = new WeakMap<object, ExpectedRead>();
/** What a comparison returns when nothing differs: one frozen array, not one per read. */
export const NO_DIFFERENCES: readonly string[] = Object.freeze([]);

export interface RecordIdentity {
  readonly key: string;
  readonly seed: number;
}

/**
 * When a version's first full comparison comes. `first`: on its first read (what a VU
 * wrote itself, read-your-writes). `sampled`: within its first N reads, at a point set
 * by the seed, for records setup() wrote and checked: every VU reads the same seeded
 * records, and each comparing each of them in full on its first read made a third of a
 * short run's reads full comparisons.
 */
export type FirstFullRead = 'first' | 'sampled';

/** Where a `sampled` count starts, so that the read making it a multiple of `fullEvery` comes within the first `fullEvery`. */
function sampledStart(ref: RecordIdentity, fullEvery: number): number {
  return (Math.abs(ref.seed) % fullEvery) + 1;
}

function expectedReadOf(ref: RecordIdentity, version: number, fullEvery: number, firstFull: FirstFullRead): ExpectedRead {
  let kept = expectedByRef.get(ref);
  if (kept === undefined || kept.version !== version) {
    const record = buildRecord(ref.key, ref.seed, version);
    const opaqueProvesVersion = (record.opaqueString ?? '').startsWith(opaqueUnit(ref.seed, version));
    const reads = firstFull === 'first' ? 0 : sampledStart(ref, fullEvery);
    kept = { version, record, opaqueProvesVersion, reads };
    expectedByRef.set(ref, kept);
  }
  return kept;
}

/**
 * Differences between a read of `ref` and `version` of its content. Every read proves
 * it got that record at that version: its key, and its opaque string, which spells
 * out seed and version. The whole content is compared on the first read of each
 * version (within its first `fullEvery` reads when `sampled`) and then on one read
 * in `fullEvery`: k6 hands a response over as Go maps,
 * each field read of which is a call into k6, and comparing every field of every
 * read cost a tenth of the load generator's CPU per GetRecord.
 */
export function readDifferences(
  actual: RecordMessage | null,
  ref: RecordIdentity,
  version: number,
  fullEvery: number,
  firstFull: FirstFullRead = 'first',
): readonly string[] {
  const expected = expectedReadOf(ref, version, fullEvery, firstFull);
  const full = countRead(expected, fullEvery);
  if (full || !actual) return recordDifferences(actual, expected.record);
  return actual.key === expected.record.key && (actual.opaqueString ?? '') === (expected.record.opaqueString ?? '')
    ? NO_DIFFERENCES
    : recordDifferences(actual, expected.record);
}

/** Whether this read of `expected` is a full comparison; counts the read. */
function countRead(expected: ExpectedRead, fullEvery: number): boolean {
  const full = expected.reads % fullEvery === 0 || !expected.opaqueProvesVersion;
  expected.reads++;
  return full;
}

// Reads of seeded records that look at nothing but the status when no full
// comparison is due (the mix's): a count per reference and version, nothing built
// until a comparison is due, so a VU's first reads of forty seeds cost no more than
// its later ones.
const sampledReadsByRef = new WeakMap<object, { version: number; reads: number }>();

/**
 * Whether this read of `ref` at `version` is due for a full comparison: one read in
 * `fullEvery`, the first within the first `fullEvery` reads at a point set by the
 * seed (the `sampled` schedule of readDifferences); counts the read.
 */
export function nextSampledReadIsFull(ref: RecordIdentity, version: number, fullEvery: number): boolean {
  let counter = sampledReadsByRef.get(ref);
  if (counter === undefined || counter.version !== version) {
    counter = { version, reads: sampledStart(ref, fullEvery) };
    sampledReadsByRef.set(ref, counter);
  }
  return counter.reads++ % fullEvery === 0;
}

/** Differences between a record read back and the one written; empty when they match. */
export function recordDifferences(actual: RecordMessage | null, expected: RecordMessage): readonly string[] {
  if (!actual) return ['record missing'];
  // Nearly every read matches: prove that without sorting or building strings, and
  // describe the differences only when it fails.
  if (recordMatches(actual, expected)) return NO_DIFFERENCES;
  const differences: string[] = [];
  if (actual.key !== expected.key) differences.push(`key ${actual.key} != ${expected.key}`);
  if ((actual.ownerId ?? '') !== (expected.ownerId ?? '')) differences.push(`ownerId ${actual.ownerId} != ${expected.ownerId}`);
  const actualTags = [...(actual.tags ?? [])].sort().join(',');
  const expectedTags = [...(expected.tags ?? [])].sort().join(',');
  if (actualTags !== expectedTags) differences.push(`tags ${actualTags} != ${expectedTags}`);
  if ((actual.opaqueString ?? '') !== (expected.opaqueString ?? '')) differences.push('opaqueString differs');
  const names = new Set([...Object.keys(actual.properties ?? {}), ...Object.keys(expected.properties ?? {})]);
  for (const name of names) {
    const got = propertyValue(actual.properties?.[name]);
    const want = propertyValue(expected.properties?.[name]);
    if (got !== want) differences.push(`property ${name} ${got} != ${want}`);
  }
  return differences;
}

/**
 * True only when recordDifferences would find none: same fields, tags in the same
 * order, every property equal and no extra one. Any doubt returns false, and the
 * full comparison decides. Each field is read once: k6 hands the response over as
 * Go maps, and every property read of one wraps it anew.
 */
function recordMatches(actual: RecordMessage, expected: RecordMessage): boolean {
  if (actual.key !== expected.key || (actual.ownerId ?? '') !== (expected.ownerId ?? '')) return false;
  if ((actual.opaqueString ?? '') !== (expected.opaqueString ?? '')) return false;
  const tags = actual.tags ?? [];
  const expectedTags = expected.tags ?? [];
  if (tags.length !== expectedTags.length) return false;
  for (let i = 0; i < expectedTags.length; i++) if (tags[i] !== expectedTags[i]) return false;
  const properties = actual.properties ?? {};
  const expectedProperties = expected.properties ?? {};
  let count = 0;
  for (const name in expectedProperties) {
    count++;
    const got = properties[name];
    const want = expectedProperties[name] as Property;
    if (got === undefined || got === null || got.type !== want.type) return false;
    if (want.type === 'INTEGER' ? (got.integerValue ?? '0') !== (want.integerValue ?? '0')
      : want.type === 'STRING' ? (got.stringValue ?? '') !== (want.stringValue ?? '')
      : want.type === 'BOOLEAN' ? (got.booleanValue ?? false) !== (want.booleanValue ?? false)
      : true) return false;
  }
  return Object.keys(properties).length === count;
}
