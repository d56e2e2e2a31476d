// report.md: the sections as GitHub-flavoured Markdown, with links to the PNG charts when they were written.
import type { AnalysisResult } from '../analyze.js';
import type { ChartSpec } from '../charts/chart-spec.js';
import { reportSections, type Table } from './sections.js';

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function markdownTable(table: Table): string {
  const lines = [`| ${table.headers.map(escapeCell).join(' | ')} |`, `|${table.headers.map(() => ' --- ').join('|')}|`];
  for (const row of table.rows) lines.push(`| ${row.map(escapeCell).join(' | ')} |`);
  return lines.join('\n');
}

export function renderMarkdown(result: AnalysisResult, charts: readonly ChartSpec[]): string {
  const parts = ['# Open Saves load test report', ''];
  for (const section of reportSections(result)) {
    parts.push(`## ${section.title}`, '');
    for (const paragraph of section.paragraphs) parts.push(paragraph, '');
    for (const table of section.tables) parts.push(markdownTable(table), '');
  }
  if (charts.length > 0) {
    parts.push('## Charts', '');
    for (const chart of charts) parts.push(`![${chart.title}](${chart.id}.png)`, '');
  }
  return parts.join('\n');
}
