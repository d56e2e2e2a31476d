// --k6-summary: k6's own threshold verdicts (sub-metrics included) and the scenario's configuration, read from the
// handleSummary file of real smoke runs (test/fixtures/analysis/k6-summary/, record-k6-summaries.ts).
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, fixture, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

interface FixtureThreshold {
  metric: string;
  expression: string;
  ok: boolean;
}

function fixtureSummary(run: 'pass' | 'fail'): { config: Record<string, unknown>; metrics: Record<string, { values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }> } {
  return JSON.parse(readFileSync(fixture(`k6-summary/${run}/summary.json`), 'utf8'));
}

function fixtureThresholds(run: 'pass' | 'fail'): FixtureThreshold[] {
  return Object.entries(fixtureSummary(run).metrics).flatMap(([metric, m]) =>
    Object.entries(m.thresholds ?? {}).map(([expression, verdict]) => ({ metric, expression, ok: verdict.ok })),
  );
}

/** A copy of one recorded run (k6.json and the scenario's summary.json side by side) in a temporary directory. */
function copyRun(run: 'pass' | 'fail'): string {
  const dir = join(tempDir(), run);
  cpSync(fixture(`k6-summary/${run}`), dir, { recursive: true });
  return dir;
}

function readOut(outDir: string): { summary: Record<string, any>; md: string; junit: string } {
  return {
    summary: JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')),
    md: readFileSync(join(outDir, 'report.md'), 'utf8'),
    junit: readFileSync(join(outDir, 'junit.xml'), 'utf8'),
  };
}

const FORMATS = ['--format', 'json,md,junit'];

describe('--k6-summary with every threshold passing', () => {
  it('lists every threshold, sub-metrics included, with the value k6 computed, and exits 0', async () => {
    const expected = fixtureThresholds('pass');
    expect(expected.some((t) => t.metric.includes('{'))).toBe(true);
    const out = join(tempDir(), 'out');
    const run = await cli([fixture('k6-summary/pass/k6.json'), '--k6-summary', fixture('k6-summary/pass/summary.json'), '--out-dir', out, ...FORMATS]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(`k6 thresholds: all ${expected.length} passed`);
    const { summary, md, junit } = readOut(out);
    expect(summary.thresholds).toHaveLength(expected.length);
    const getRecordP95 = summary.thresholds.find((t: any) => t.metric === 'grpc_req_duration{op:GetRecord}' && t.expression.startsWith('p(95)'));
    expect(getRecordP95).toMatchObject({ pass: true, source: 'k6-summary' });
    expect(getRecordP95.observed).toBe(fixtureSummary('pass').metrics['grpc_req_duration{op:GetRecord}']!.values['p(95)']);
    expect(junit).toMatch(new RegExp(`<testsuite name="k6 thresholds" tests="${expected.length}" failures="0" skipped="0">`));
    expect(junit).toContain(`name="grpc_req_duration{op:GetRecord}: ${getRecordP95.expression.replace('<', '&lt;')}"/>`);
    const section = md.slice(md.indexOf('## k6 thresholds and checks'));
    expect(section).toMatch(/\| grpc_req_duration\{op:GetRecord\} \| p\(95\)<\d+ \| [\d.]+ \| PASS \|/);
  });

  it('shows the scenario and its effective configuration in the run details', async () => {
    const out = join(tempDir(), 'out');
    await cli([fixture('k6-summary/pass/k6.json'), '--k6-summary', fixture('k6-summary/pass/summary.json'), '--out-dir', out, ...FORMATS]);
    const { summary, md } = readOut(out);
    const config = fixtureSummary('pass').config;
    expect(summary.scenario).toEqual({ summaryPath: fixture('k6-summary/pass/summary.json'), name: 'smoke', config, notes: [] });
    const start = md.indexOf('## Run details');
    expect(start).toBeGreaterThan(-1);
    const overview = md.slice(start, md.indexOf('\n## ', start));
    expect(overview).toContain('Scenario smoke, from ');
    expect(overview).toContain(`| profile | ${config.profile} |`);
    expect(overview).toContain(`| blobSizes | ${(config.blobSizes as number[]).join(', ')} |`);
  });
});

describe('--k6-summary with failed thresholds', () => {
  it('fails the run (exit 1) even though every SLO holds, and marks the failed cases', async () => {
    const failed = fixtureThresholds('fail').filter((t) => !t.ok);
    expect(failed.map((t) => t.metric)).toContain('checks{op:GetRecord,kind:status}');
    const out = join(tempDir(), 'out');
    // The healthy run's output with the failing run's verdicts: the SLO passes, so only the thresholds can fail it.
    const run = await cli([fixture('k6-summary/pass/k6.json'), '--k6-summary', fixture('k6-summary/fail/summary.json'), '--out-dir', out, '--format', 'json,md,junit,html']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^FAIL +SLO held: k6 thresholds: \d+ of \d+ failed$/m);
    expect(run.stderr).toMatch(/k6 thresholds failed while the SLO held: .*checks\{op:GetRecord,kind:status\} rate==1/);
    const { summary, md, junit } = readOut(out);
    expect(summary.slo.pass).toBe(true);
    expect(summary.thresholds.filter((t: any) => t.pass === false).map((t: any) => `${t.metric} ${t.expression}`).sort()).toEqual(
      failed.map((t) => `${t.metric} ${t.expression}`).sort(),
    );
    expect(junit).toMatch(new RegExp(`<testsuite name="k6 thresholds" tests="${fixtureThresholds('fail').length}" failures="${failed.length}" skipped="0">`));
    expect(junit).toMatch(/name="checks\{op:GetRecord,kind:status\}: rate==1">\s*<failure message="observed 0"\/>/);
    expect(md).toMatch(/\| checks\{op:GetRecord,kind:status\} \| rate==1 \| 0 \| FAIL \|/);
    expect(md).toContain('k6 thresholds: FAIL.');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    // The verdict band: the run fails on its thresholds alone.
    expect(html).toMatch(/<span class="verdict-badge fail">FAIL<\/span> <strong id="verdict-headline">SLO held<\/strong><span class="details">k6 thresholds: \d+ of \d+ failed<\/span>/);
  });
});

describe('without --k6-summary', () => {
  it("uses the scenario's summary.json beside the first input", async () => {
    const dir = copyRun('fail');
    const out = join(tempDir(), 'out');
    const run = await cli([join(dir, 'k6.json'), '--out-dir', out, ...FORMATS]);
    expect(run.exitCode).toBe(1);
    const { summary } = readOut(out);
    expect(summary.scenario.summaryPath).toBe(join(dir, 'summary.json'));
    expect(summary.thresholds).toHaveLength(fixtureThresholds('fail').length);
    expect(summary.thresholds.find((t: any) => t.metric === 'checks{op:GetRecord,kind:status}').pass).toBe(false);
  });

  it("ignores the analysis's own summary.json there, without a warning", async () => {
    const dir = join(tempDir(), 'run');
    cpSync(fixture('k6-summary/pass/k6.json'), join(dir, 'k6.json'));
    // First analysis writes its own summary.json beside the input; the second must not read it as k6's.
    expect((await cli([join(dir, 'k6.json'), '--out-dir', dir, '--format', 'json'])).exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).schemaVersion).toBe(1);
    const out = join(tempDir(), 'out');
    const run = await cli([join(dir, 'k6.json'), '--out-dir', out, ...FORMATS]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).not.toContain('warning');
    const { summary, md } = readOut(out);
    expect(summary.scenario).toBeUndefined();
    // Only whole-metric thresholds are left, re-evaluated from the output, and they agree with k6's verdicts. (A
    // counter that never counted, such as opensaves_verify_failures, has no Metric line in the output at all.)
    const k6Verdicts = new Map(fixtureThresholds('pass').map((t) => [`${t.metric} ${t.expression}`, t.ok]));
    expect(summary.thresholds.length).toBeGreaterThan(0);
    for (const t of summary.thresholds) {
      expect(t.metric).not.toContain('{');
      expect(t.source).toBe('reevaluated');
      expect(t.pass).toBe(k6Verdicts.get(`${t.metric} ${t.expression}`));
    }
    expect(md).toContain('Thresholds on whole metrics, re-evaluated from the k6 output. No k6 summary was given (--k6-summary) or found beside the input');
  });

  it('warns about a broken summary.json beside the input and goes on', async () => {
    const dir = copyRun('pass');
    writeFileSync(join(dir, 'summary.json'), '{"metrics": {');
    const out = join(tempDir(), 'out');
    const run = await cli([join(dir, 'k6.json'), '--out-dir', out, ...FORMATS]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(`warning: k6 summary ${join(dir, 'summary.json')} is not valid JSON`);
    expect(readOut(out).summary.scenario).toBeUndefined();
  });

  it("refuses to write the report's summary.json over the scenario's", async () => {
    const dir = copyRun('pass');
    const before = readFileSync(join(dir, 'summary.json'), 'utf8');
    const run = await cli([join(dir, 'k6.json'), '--out-dir', dir, '--format', 'json']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^error: invalid --out-dir; reason: expected a directory other than the one holding the k6 summary .*summary\.json/);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe(before);
  });
});

describe('a bad --k6-summary file', () => {
  async function analyseWith(content: string | null): Promise<{ exitCode: number; stderr: string; path: string }> {
    const path = join(tempDir(), 'scenario-summary.json');
    if (content !== null) writeFileSync(path, content);
    const run = await cli([fixture('k6-summary/pass/k6.json'), '--k6-summary', path, '--out-dir', join(tempDir(), 'out'), ...FORMATS]);
    return { ...run, path };
  }

  function brokenThreshold(verdict: unknown): string {
    const data = fixtureSummary('pass');
    data.metrics['grpc_req_duration{op:GetRecord}']!.thresholds = { 'p(95)<100': verdict as { ok: boolean } };
    return JSON.stringify(data);
  }

  it.each([
    ['missing', null, /^error: cannot read k6 summary (\S+): no such file\n$/],
    ['not JSON', '{"metrics": ', /^error: k6 summary (\S+) is not valid JSON: /],
    ['an array', '[]', /^error: k6 summary (\S+): expected k6 handleSummary data \(an object with "metrics" and "root_group"\), got an array\n$/],
    ['without root_group', '{"metrics": {}}', /^error: k6 summary (\S+): expected k6 handleSummary data .*, got an object with keys metrics\n$/],
    ['an analysis summary', '{"schemaVersion": 1, "operations": {}}', /^error: k6 summary (\S+): expected k6 handleSummary data .*, got an analysis summary\.json \(schemaVersion 1\)/],
    [
      'a threshold verdict without ok',
      brokenThreshold({ passed: true }),
      /^error: k6 summary (\S+): metrics\["grpc_req_duration\{op:GetRecord\}"\]\.thresholds\["p\(95\)<100"\]: expected \{"ok": true\|false\}, got \{"passed":true\}\n$/,
    ],
  ])('%s: one line naming the file and the problem, exit 2', async (_name, content, message) => {
    const run = await analyseWith(content);
    expect(run.exitCode).toBe(2);
    const match = message.exec(run.stderr);
    expect(match, run.stderr).not.toBeNull();
    expect(match![1]).toBe(run.path);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a value after the option is required', async () => {
    const run = await cli([fixture('k6-summary/pass/k6.json'), '--k6-summary']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/invalid --k6-summary; reason: expected a value after it/);
  });
});
