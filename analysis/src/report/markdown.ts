// report.md: the answer first (verdict, bottleneck and its action, key figures), then the sections as GitHub-flavoured
// Markdown, folded content in <details>, with links to the PNG charts when they were written.
import type { AnalysisResult } from '../analyze.js';
import type { ChartSpec } from '../charts/chart-spec.js';
import { OVERVIEW_CHART_ID } from '../charts/overview.js';
import { formatCount, formatRate } from '../format.js';
import { buildAnswer, type Answer } from './answer.js';
import { reportSections, type Table } from './sections.js';

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function markdownTable(table: Table): string {
  const lines = [`| ${table.headers.map(escapeCell).join(' | ')} |`, `|${table.headers.map(() => ' --- ').join('|')}|`];
  for (const row of table.rows) lines.push(`| ${row.map(escapeCell).join(' | ')} |`);
  return lines.join('\n');
}

function answerLines(answer: Answer): string[] {
  const { verdict, bottleneck } = answer;
  const lines = [`**${verdict.pass ? 'PASS' : 'FAIL'}: ${verdict.headline}**${verdict.details.length > 0 ? ` (${verdict.details.join('; ')})` : ''}`, ''];
  if (answer.capacity?.broke) lines.push(`Capacity: ${answer.capacity.broke}.`, '');
  if (bottleneck === null) {
    lines.push('**Bottleneck:** not known without server metrics (`--server-metrics URL` or `--cloudwatch --infra-env FILE` name it).', '');
  } else {
    const goal = `${Number.isInteger(bottleneck.goalRate) ? formatCount(bottleneck.goalRate) : formatRate(bottleneck.goalRate)} ${bottleneck.unit}/s`;
    lines.push(
      `**Bottleneck:** ${bottleneck.component}, ${bottleneck.saturated ? `saturated first${bottleneck.when === null ? '' : `, ${bottleneck.when}`}` : 'nothing saturated; the nearest'} (sized for ${goal}).`,
      '',
      `**Action:** ${bottleneck.action === null ? `nothing to change for ${goal}. ${bottleneck.detail}` : bottleneck.detail}`,
      '',
    );
    for (const other of answer.otherActions) lines.push(`- Also for ${goal}: ${other.component}: ${other.action}`);
    if (answer.otherActions.length > 0) lines.push('');
  }
  lines.push(markdownTable({ headers: answer.figures.map((f) => f.label), rows: [answer.figures.map((f) => `${f.value}${f.note ? ` (${f.note})` : ''}`)] }), '');
  return lines;
}

export function renderMarkdown(result: AnalysisResult, charts: readonly ChartSpec[]): string {
  const parts = ['# Open Saves load test report', '', ...answerLines(buildAnswer(result))];
  const overview = charts.find((c) => c.id === OVERVIEW_CHART_ID);
  if (overview !== undefined) parts.push(`![${overview.title}](${overview.id}.png)`, '');
  for (const section of reportSections(result)) {
    parts.push(`## ${section.title}`, '');
    for (const item of section.items ?? []) parts.push(`1. ${item.text} → ${item.action}`);
    if ((section.items ?? []).length > 0) parts.push('');
    const tables = section.tables.map((table) => [markdownTable(table), '']).flat();
    if (section.tablesFirst) parts.push(...tables);
    for (const paragraph of section.paragraphs) parts.push(paragraph, '');
    if (!section.tablesFirst) parts.push(...tables);
    for (const folded of section.folded ?? []) {
      parts.push('<details>', `<summary>${folded.summary}</summary>`, '');
      for (const paragraph of folded.paragraphs) parts.push(paragraph, '');
      for (const table of folded.tables) parts.push(markdownTable(table), '');
      parts.push('</details>', '');
    }
  }
  const others = charts.filter((c) => c.id !== OVERVIEW_CHART_ID);
  if (others.length > 0) {
    parts.push('## Charts', '');
    for (const chart of others) parts.push(`![${chart.title}](${chart.id}.png)`, '');
  }
  return parts.join('\n');
}
