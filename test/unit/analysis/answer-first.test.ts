// The answer before the tables: the printed summary (width, length, analysis.txt), report.md's opening, and the link
// from report.html to k6's dashboard export beside the run.
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../analysis/src/cli.js';
import { fellBehindAction } from '../../../analysis/src/report/answer.js';
import { summaryWidth, wrap } from '../../../analysis/src/report/terminal.js';
import { cli, fixture, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

/** The CLI on a terminal of `columns` columns. */
async function onTerminal(args: string[], columns: number): Promise<string> {
  let stderr = '';
  await runCli(args, { stdout: { write: () => true }, stderr: { isTTY: true, columns, write: (text: string) => ((stderr += text), true) } });
  return stderr;
}

const lines = (text: string): string[] => text.trimEnd().split('\n');

describe('the printed summary', () => {
  it('is laid out for the terminal: 80 columns on an 80-column terminal, at most 200 on a wide one, 120 off a terminal', async () => {
    const input = [fixture('smoke.json'), fixture('mixed-http.json'), '--format', 'json'];
    const narrow = await onTerminal([...input, '--out-dir', tempDir()], 80);
    const wide = await onTerminal([...input, '--out-dir', tempDir()], 400);
    const piped = await cli([...input, '--out-dir', tempDir()]);
    for (const line of lines(narrow)) expect(line.length, line).toBeLessThanOrEqual(80);
    for (const line of lines(wide)) expect(line.length, line).toBeLessThanOrEqual(200);
    for (const line of lines(piped.stderr)) expect(line.length, line).toBeLessThanOrEqual(120);
    // Narrower means more, shorter lines, never cut words: the verdict reads the same once unwrapped.
    expect(lines(narrow).length).toBeGreaterThan(lines(wide).length);
    expect(narrow.replace(/\s+/g, ' ')).toContain('SLO missed: 1 objective failed on 1 of 27 operations');
    expect(lines(piped.stderr).length).toBeLessThanOrEqual(30);
  });

  it('is kept in analysis.txt beside the report, the same text as printed', async () => {
    const out = tempDir();
    const run = await cli([fixture('smoke.json'), '--format', 'json', '--out-dir', out]);
    expect(readFileSync(join(out, 'analysis.txt'), 'utf8')).toBe(run.stderr);
    expect(run.stderr).toMatch(new RegExp(`^Wrote +summary\\.json, analysis\\.txt in ${out}/$`, 'm'));
  });

  it('lists at most ten operations and counts the rest, whatever the number that failed', async () => {
    // An SLO no operation can meet: every operation of both runs misses it.
    const slo = join(tempDir(), 'slo.json');
    writeFileSync(slo, JSON.stringify({ defaults: { p95Ms: 0.001 }, operations: {} }));
    const run = await cli([fixture('smoke.json'), fixture('mixed-http.json'), '--slo', slo, '--format', 'json', '--out-dir', tempDir()]);
    const table = lines(run.stderr).filter((l) => /^ {2}\S+ +[\d,]+ +[\d.]+% /.test(l));
    expect(table).toHaveLength(10);
    expect(run.stderr).toMatch(/^ {2}… and 17 more operations over budget \(report\.html, "SLO verdicts"\)$/m);
    expect(lines(run.stderr).length).toBeLessThanOrEqual(30);
  });

  it('wraps at spaces, indents continuation lines, and cuts only a word longer than a line', () => {
    expect(wrap('one two three four', 9, 2)).toEqual(['one two', '  three', '  four']);
    expect(wrap('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(summaryWidth(undefined)).toBe(120);
    expect(summaryWidth(40)).toBe(60);
    expect(summaryWidth(1000)).toBe(200);
  });
});

describe('report.md', () => {
  it('opens with the verdict, the bottleneck line and the key figures before any section', async () => {
    const out = tempDir();
    await cli([fixture('smoke.json'), '--format', 'md', '--out-dir', out]);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const head = md.slice(0, md.indexOf('\n## '));
    expect(head).toMatch(/^# Open Saves load test report\n\n\*\*FAIL: SLO missed\*\* \(1 objective failed on 1 of \d+ operations/);
    expect(head).toContain('**Bottleneck:** not known without server metrics');
    expect(head).toMatch(/\| Requests \| Achieved \/ offered \| p95 latency \| Error rate \| Failed checks \| Dropped iterations \|/);
    expect(md.indexOf('## Findings')).toBeLessThan(md.indexOf('## Operations'));
  });
});

describe("report.html's link to k6's dashboard", () => {
  it('links k6-dashboard.html beside the k6 output, relative to the report, and has no link without one', async () => {
    const run = tempDir();
    copyFileSync(fixture('smoke.json'), join(run, 'k6.json'));
    writeFileSync(join(run, 'k6-dashboard.html'), '<!doctype html><title>k6</title>');
    await cli([join(run, 'k6.json'), '--format', 'html', '--out-dir', join(run, 'report')]);
    expect(readFileSync(join(run, 'report', 'report.html'), 'utf8')).toContain('<a href="../k6-dashboard.html">k6 dashboard of the run</a>');

    const bare = tempDir();
    copyFileSync(fixture('smoke.json'), join(bare, 'k6.json'));
    await cli([join(bare, 'k6.json'), '--format', 'html', '--out-dir', join(bare, 'report')]);
    expect(readFileSync(join(bare, 'report', 'report.html'), 'utf8')).not.toContain('k6-dashboard.html');
  });
});

describe('a runner that fell behind', () => {
  it('points at the server component that saturated first, not at more runners for the goal rate', () => {
    expect(fellBehindAction('pods/HPA', 'Run 12 runner pods of 2 vCPU (OS_INFRA_K6_PARALLELISM=12)', true)).toBe('its VUs waited on pods/HPA: fix that first');
  });

  it("gets the runners' own action when they were the bottleneck or nothing on the server saturated", () => {
    const more = 'Run 12 runner pods of 2 vCPU (OS_INFRA_K6_PARALLELISM=12)';
    expect(fellBehindAction('k6 runners', more, true)).toBe('run 12 runner pods of 2 vCPU (OS_INFRA_K6_PARALLELISM=12)');
    expect(fellBehindAction(null, more, true)).toBe('run 12 runner pods of 2 vCPU (OS_INFRA_K6_PARALLELISM=12)');
    expect(fellBehindAction(null, null, false)).toMatch(/server metrics \(--server-metrics, --cloudwatch\) tell which$/);
  });
});
