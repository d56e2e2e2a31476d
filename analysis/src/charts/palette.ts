// Colours for chart series: a fixed, colour-blind-friendly cycle (Okabe-Ito, with its yellow swapped for a darker wine that reads on white), so an operation keeps its colour
// across charts of one report.
const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#882255', '#000000'];
const DASHES: number[][] = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

export function seriesColour(index: number): string {
  return OKABE_ITO[index % OKABE_ITO.length]!;
}

/** Dash pattern: after eight colours, lines are told apart by dashes. */
export function seriesDash(index: number): number[] {
  return DASHES[Math.floor(index / OKABE_ITO.length) % DASHES.length]!;
}
