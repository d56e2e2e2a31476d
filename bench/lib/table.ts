// Markdown tables, so the printed figures paste straight into BENCHMARKS.md.

export type Cell = string | number | null;

export function markdownTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => row.map(formatCell));
  const widths = headers.map((header, column) => Math.max(header.length, ...text.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...text.map(line)].join('\n');
}

function formatCell(cell: Cell): string {
  if (cell === null) return '—';
  if (typeof cell === 'string') return cell;
  if (Number.isInteger(cell)) return String(cell);
  return cell.toFixed(Math.abs(cell) >= 100 ? 0 : Math.abs(cell) >= 10 ? 1 : 2);
}

/** "1.07×" for ratios, "—" when there is nothing to compare with. */
export function ratio(value: number | null | undefined, baseline: number | null | undefined): string {
  if (value == null || baseline == null || baseline === 0) return '—';
  return `${(value / baseline).toFixed(2)}×`;
}
