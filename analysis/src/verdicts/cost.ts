// Prices the measured operation mix on AWS (the Open Saves AWS port: DynamoDB on-demand, S3, data transfer out)
// from a user-overridable price table (data/aws-prices.json, or --prices FILE).
import { invalid } from '../config/errors.js';
import { isRecord, readJsonFile } from '../config/json-file.js';

const UNIT_PRICES = ['dynamodbReadRequestUnit', 'dynamodbWriteRequestUnit', 's3PutRequest', 's3GetRequest', 'dataTransferOutPerGB'] as const;
const USAGE_FIELDS = ['dynamodbReadUnits', 'dynamodbWriteUnits', 's3Puts', 's3Gets', 'transferOutBytes'] as const;
type UnitPrice = (typeof UNIT_PRICES)[number];
type UsageField = (typeof USAGE_FIELDS)[number];

export interface CacheNodePrice {
  type: string;
  memoryGiB: number;
  vcpu: number;
  hourly: number;
}

/** What the scaling recommendations price their settings with (the table's optional `sizing` object). */
export interface SizingPrices {
  dynamodbProvisionedWcuHour: number;
  dynamodbProvisionedRcuHour: number;
  podVcpuHour: number;
  podMemoryGbHour: number;
  /** smallest memory first */
  cacheNodes: CacheNodePrice[];
}

export interface PriceTable {
  source: string;
  region: string;
  currency: string;
  prices: Record<UnitPrice, number>;
  operations: Record<string, Record<UsageField, number>>;
  sizing: SizingPrices | null;
}

const SIZING_PRICES = ['dynamodbProvisionedWcuHour', 'dynamodbProvisionedRcuHour', 'podVcpuHour', 'podMemoryGbHour'] as const;

function parseSizing(path: string, value: unknown): SizingPrices | null {
  if (value === undefined) return null;
  if (!isRecord(value)) throw invalid(`${path}: sizing`, `an object with ${SIZING_PRICES.join(', ')}, cacheNodes`, value);
  const sizing = {} as SizingPrices;
  for (const key of SIZING_PRICES) {
    const price = value[key];
    if (typeof price !== 'number' || !(price >= 0)) throw invalid(`${path}: sizing.${key}`, 'a price >= 0', price);
    sizing[key] = price;
  }
  if (!Array.isArray(value.cacheNodes)) throw invalid(`${path}: sizing.cacheNodes`, 'an array of {type, memoryGiB, vcpu, hourly}', value.cacheNodes);
  sizing.cacheNodes = value.cacheNodes.map((node: unknown, i: number) => {
    const where = `${path}: sizing.cacheNodes[${i}]`;
    if (!isRecord(node) || typeof node.type !== 'string') throw invalid(where, 'an object {type, memoryGiB, vcpu, hourly}', node);
    for (const key of ['memoryGiB', 'vcpu', 'hourly'] as const) {
      if (typeof node[key] !== 'number' || !((node[key] as number) > 0)) throw invalid(`${where}.${key}`, 'a number > 0', node[key]);
    }
    return { type: node.type, memoryGiB: node.memoryGiB as number, vcpu: node.vcpu as number, hourly: node.hourly as number };
  });
  sizing.cacheNodes.sort((a, b) => a.memoryGiB - b.memoryGiB);
  return sizing;
}

export interface CostEstimate {
  source: string;
  region: string;
  currency: string;
  /** cost of one million operations in the measured mix */
  perMillionOperations: number;
  /** the run's own operations at these prices */
  runCost: number;
  /** one hour at the measured request rate */
  perHourAtMeasuredRate: number | null;
  operations: Record<string, { share: number; perMillion: number }>;
  /** operations in the run without an entry in the price table (left out of the figures) */
  unpriced: string[];
}

export function loadPriceTable(path: string): PriceTable {
  const data = readJsonFile(path, 'price table');
  if (!isRecord(data)) throw invalid(`price table ${path}`, 'a JSON object with "prices" and "operations"', data);
  if (!isRecord(data.prices)) throw invalid(`${path}: prices`, `an object with ${UNIT_PRICES.join(', ')}`, data.prices);
  const prices = {} as Record<UnitPrice, number>;
  for (const key of UNIT_PRICES) {
    const price = data.prices[key];
    if (typeof price !== 'number' || !(price >= 0)) throw invalid(`${path}: prices.${key}`, 'a price >= 0', price);
    prices[key] = price;
  }
  if (!isRecord(data.operations)) throw invalid(`${path}: operations`, 'an object keyed by operation name', data.operations);
  const operations: PriceTable['operations'] = {};
  for (const [op, usage] of Object.entries(data.operations)) {
    if (op.startsWith('$')) continue;
    if (!isRecord(usage)) throw invalid(`${path}: operations.${op}`, `an object with ${USAGE_FIELDS.join(', ')}`, usage);
    const parsed = {} as Record<UsageField, number>;
    for (const field of USAGE_FIELDS) {
      const value = usage[field] ?? 0;
      if (typeof value !== 'number' || !(value >= 0)) throw invalid(`${path}: operations.${op}.${field}`, 'a number >= 0', value);
      parsed[field] = value;
    }
    operations[op] = parsed;
  }
  const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);
  return { source: path, region: text(data.region, 'unknown'), currency: text(data.currency, 'USD'), prices, operations, sizing: parseSizing(path, data.sizing) };
}

/** Cost of one operation at the table's prices. */
export function operationCost(table: PriceTable, op: string): number | null {
  const usage = table.operations[op];
  if (usage === undefined) return null;
  const p = table.prices;
  return (
    usage.dynamodbReadUnits * p.dynamodbReadRequestUnit +
    usage.dynamodbWriteUnits * p.dynamodbWriteRequestUnit +
    usage.s3Puts * p.s3PutRequest +
    usage.s3Gets * p.s3GetRequest +
    (usage.transferOutBytes / 1024 ** 3) * p.dataTransferOutPerGB
  );
}

/** `counts`: requests per operation in the run; `rps`: the run's request rate. */
export function estimateCost(table: PriceTable, counts: ReadonlyMap<string, number>, rps: number | null): CostEstimate {
  const unpriced = [...counts.keys()].filter((op) => table.operations[op] === undefined);
  const priced = [...counts].filter(([op]) => table.operations[op] !== undefined);
  const total = priced.reduce((sum, [, n]) => sum + n, 0);
  const operations: CostEstimate['operations'] = {};
  let perOperation = 0;
  let runCost = 0;
  for (const [op, n] of priced) {
    const cost = operationCost(table, op)!;
    const share = total === 0 ? 0 : n / total;
    operations[op] = { share, perMillion: cost * 1e6 };
    perOperation += share * cost;
    runCost += n * cost;
  }
  const pricedShare = [...counts.values()].reduce((a, b) => a + b, 0);
  const pricedRps = rps === null || pricedShare === 0 ? null : (rps * total) / pricedShare;
  return {
    source: table.source,
    region: table.region,
    currency: table.currency,
    perMillionOperations: perOperation * 1e6,
    runCost,
    perHourAtMeasuredRate: pricedRps === null ? null : pricedRps * 3600 * perOperation,
    operations,
    unpriced,
  };
}
