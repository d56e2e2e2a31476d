// junit.xml: SLO objectives, k6 thresholds and the baseline gate as test cases, so CI systems show them natively.
import type { AnalysisResult } from '../analyze.js';
import { describeCriterion } from '../verdicts/slo.js';

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Case {
  name: string;
  failure: string | null;
  /** a case that could not be judged (a threshold expression this tool does not evaluate) */
  skipped?: string;
}

function suite(name: string, cases: readonly Case[]): string {
  const failures = cases.filter((c) => c.failure !== null).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const body = cases
    .map((c) => {
      const open = `    <testcase classname="${xml(name)}" name="${xml(c.name)}"`;
      if (c.failure !== null) return `${open}>\n      <failure message="${xml(c.failure)}"/>\n    </testcase>`;
      if (c.skipped !== undefined) return `${open}>\n      <skipped message="${xml(c.skipped)}"/>\n    </testcase>`;
      return `${open}/>`;
    })
    .join('\n');
  return `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}">\n${body}\n  </testsuite>`;
}

export function renderJunit(result: AnalysisResult): string {
  const s = result.summary;
  const suites: string[] = [];
  suites.push(
    suite(
      'slo',
      Object.entries(s.slo.operations).map(([op, verdict]) => ({
        name: `${op} meets ${verdict.checked.map(describeCriterion).join(', ') || 'no'} objectives`,
        failure: verdict.pass
          ? null
          : s.slo.violations
              .filter((v) => v.op === op)
              .map((v) => `${describeCriterion(v.criterion)} ${v.observed} > ${v.limit}`)
              .join('; '),
      })),
    ),
  );
  if (s.thresholds.length > 0) {
    suites.push(
      suite(
        'k6 thresholds',
        s.thresholds.map((t) => ({
          name: `${t.metric}: ${t.expression}`,
          failure: t.pass === false ? (t.observed === null ? 'k6 reported the threshold as failed' : `observed ${t.observed}`) : null,
          ...(t.pass === null ? { skipped: 'this aggregation is not re-evaluated from k6 JSON output' } : {}),
        })),
      ),
    );
  }
  if (s.comparison) {
    suites.push(
      suite(
        'baseline comparison',
        s.comparison.operations.map((o) => ({ name: `${o.op} is not slower than the baseline`, failure: o.regression ? o.reasons.join('; ') : null })),
      ),
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="open-saves load test">\n${suites.join('\n')}\n</testsuites>\n`;
}
