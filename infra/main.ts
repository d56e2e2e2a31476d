// Builds the CDKTF app: `npx cdktf synth` runs this file (see cdktf.json).
import { App } from 'cdktf';
import { InfraConfigError, loadInfraConfig, type InfraConfig } from '../catalogue/deployment.js';
import { GrafanaContentStack, GrafanaWorkspaceStack } from './stacks/grafana-stacks.js';
import { LoadGenerationStack } from './stacks/load-generation-stack.js';
import { ObservabilityStack } from './stacks/observability-stack.js';
import { WafAllowlistStack } from './stacks/waf-allowlist-stack.js';

// A configuration problem is one line per problem and exit 2, never a stack trace: the
// configuration itself, or what a stack needs of it (the load generator's run id).
function orExit<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof InfraConfigError) {
      console.error(error.message);
      console.error('See infra/README.md for every OS_INFRA_* variable; infra/example.env has a complete example.');
      process.exit(2);
    }
    throw error;
  }
}

const config: InfraConfig = orExit(() => loadInfraConfig(process.env));
const app = new App();
orExit(() => {
  new ObservabilityStack(app, 'opensaves-observability', config);
  const workspace = new GrafanaWorkspaceStack(app, 'opensaves-grafana-workspace', config);
  new GrafanaContentStack(app, 'opensaves-grafana-content', { config, workspace });
  const loadGeneration = new LoadGenerationStack(app, 'opensaves-load-generation', config);
  // Only on request: it changes the port's WAF (infra/README.md, "WAF allow-list"). A run starts
  // when its stack applies, so `cdktf deploy` applies the allow-list first.
  if (config.wafAllowlist !== undefined) {
    loadGeneration.addDependency(new WafAllowlistStack(app, 'opensaves-waf-allowlist', config, config.wafAllowlist));
  }
});
app.synth();
