import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { CLOUDFRONT } from '../../catalogue/aws-metrics.js';
import { GrafanaContentStack, GrafanaWorkspaceStack } from '../stacks/grafana-stacks.js';
import { LoadGenerationStack } from '../stacks/load-generation-stack.js';
import { ObservabilityStack } from '../stacks/observability-stack.js';
import { WafAllowlistStack } from '../stacks/waf-allowlist-stack.js';
import { exampleConfig } from './support/config.js';

const INFRA_DIR = fileURLToPath(new URL('..', import.meta.url));
const REGION = /\b(?:us|eu|ap|sa|ca|me|af|il|mx|cn)-(?:gov-)?(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d\b/;
const ACCOUNT_ID = /(?<![\w.-])\d{12}(?![\w.-])/;

// Every .ts file under the folder, its sub-folders included (constructs are grouped by concern).
function sources(dir: string): string[] {
  return (readdirSync(join(INFRA_DIR, dir), { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(INFRA_DIR, dir, file));
}

describe('no literal account ids or regions', () => {
  it.each([...sources('stacks'), ...sources('constructs')])('%s has none', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(ACCOUNT_ID);
    expect(text).not.toMatch(REGION);
  });

  it('reads the grouped constructs too', () => {
    const files = sources('constructs').map((file) => file.slice(INFRA_DIR.length));
    expect(files).toContain(join('constructs', 'load-generation', 'k6-test-run.ts'));
    expect(files).toContain(join('constructs', 'alarms', 'service-alarms.ts'));
  });

  it('the checks would catch one', () => {
    expect('new AwsProvider(this, "aws", { region: "eu-central-1" })').toMatch(REGION);
    expect('arn:aws:iam::123456789012:role/x').toMatch(ACCOUNT_ID);
  });

  it('synthesized stacks carry only the configured region, plus us-east-1 on CloudFront resources (WAF included)', () => {
    const config = exampleConfig({ OS_INFRA_REGION: 'ap-southeast-2' });
    const app: App = Testing.app();
    const workspace = new GrafanaWorkspaceStack(app, 'w', config);
    const stacks = [
      new ObservabilityStack(app, 'o', config),
      workspace,
      new GrafanaContentStack(app, 'c', { config, workspace }),
      new LoadGenerationStack(app, 'l', config),
      new WafAllowlistStack(app, 'waf', config, { egress: { kind: 'cidrs', cidrs: ['203.0.113.7/32'] }, priority: 0 }),
      new WafAllowlistStack(app, 'nat', config, { egress: { kind: 'cluster-nat' }, priority: 0 }),
    ];
    for (const stack of stacks) {
      const doc = JSON.parse(Testing.synth(stack));
      const regions = new Set<string>();
      const visit = (value: unknown, path: string): void => {
        if (typeof value === 'string') {
          const match = REGION.exec(value);
          if (match) {
            regions.add(match[0]);
            if (match[0] === CLOUDFRONT.metricsRegion) expect(path).toMatch(/cloudfront/);
          }
          expect(value, path).not.toMatch(ACCOUNT_ID);
        } else if (value !== null && typeof value === 'object') {
          for (const [key, child] of Object.entries(value)) visit(child, `${path}/${key}`);
        }
      };
      visit(doc, stack.node.id);
      regions.delete(CLOUDFRONT.metricsRegion);
      expect([...regions].filter((region) => region !== 'ap-southeast-2')).toEqual([]);
    }
  });
});
