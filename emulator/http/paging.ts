// --page-bytes: the AWS port's Scan and Query calls return only their first DynamoDB
// page (it never follows LastEvaluatedKey), and DynamoDB ends a page once the items it
// read reach 1 MB. Here a page ends once the next item would take it past the given
// size, measured with DynamoDB's item size rules on the item the port stores.

/** DynamoDB's size of one attribute value (strings UTF-8, numbers by digits, lists and maps with overhead). */
function valueBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return Buffer.byteLength(value);
    case 'number':
    case 'bigint': {
      const digits = String(value).replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
      return Math.ceil(Math.max(digits, 1) / 2) + 1;
    }
    case 'boolean':
      return 1;
    case 'object': {
      if (value === null) return 1;
      // A list or map is 3 bytes plus 1 per element, plus its elements (and a map's key names).
      if (Array.isArray(value)) return 3 + value.reduce<number>((sum, element) => sum + 1 + valueBytes(element), 0);
      let total = 3;
      for (const [name, element] of Object.entries(value)) total += 1 + Buffer.byteLength(name) + valueBytes(element);
      return total;
    }
    default:
      return 0;
  }
}

/** DynamoDB's size of an item: attribute names plus values. */
export function dynamoItemBytes(item: Readonly<Record<string, unknown>>): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) total += Buffer.byteLength(name) + valueBytes(value);
  }
  return total;
}

/**
 * The first page of `items` (already in the port's order): at most `limit` items (0: no
 * limit, DynamoDB's Limit) whose sizes add up to at most `pageBytes` (undefined: unlimited).
 * The first item is always returned, however large: a real page (1 MB) always holds one item
 * (at most 400 KB), and a page size below one item would otherwise hide everything.
 */
export function firstPage<T>(items: readonly T[], pageBytes: number | undefined, limit: number, sizeOf: (item: T) => number): T[] {
  const capped = limit > 0 && limit < items.length ? items.slice(0, limit) : items;
  if (pageBytes === undefined) return capped as T[];
  const page: T[] = [];
  let used = 0;
  for (const item of capped) {
    used += sizeOf(item);
    if (used > pageBytes && page.length > 0) break;
    page.push(item);
  }
  return page;
}
