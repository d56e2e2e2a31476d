// Builds the CDKTF app: `npx cdktf synth` runs this file (see cdktf.json).
import { App } from 'cdktf';
import { InfraConfigError, loadInfraConfig, type InfraConfig } from '../catalogue/deployment.js';
import { GrafanaContentStack, GrafanaWorkspaceStack } from './stacks/grafana-stacks.js';
import { LoadGenerationStack } from './stacks/load-generation-stack.js';
import { ObservabilityStack } from './stacks/observability-stack.js';
import { WafAllowlistStack } from './stacks/waf-allowlist-stack.js';

function configOrExit(): InfraConfig {
  try {
    return loadInfraConfig(process.env);
  } catch (error) {
    if (error instanceof InfraConfigError) {
      console.error(error.message);
      console.error('See infra/README.md for every OS_INFRA_* variable; infra/example.env has a complete example.');
      process.exit(2);
    }
    throw error;
  }
}

const config = configOrExit();
const app = new App();
new ObservabilityStack(app, 'opensaves-observability', config);
const workspace = new GrafanaWorkspaceStack(app, 'opensaves-grafana-workspace', config);
new GrafanaContentStack(app, 'opensaves-grafana-content', { config, workspace });
const loadGeneration = new LoadGenerationStack(app, 'opensaves-load-generation', config);
// Only on request: it changes the port's WAF (infra/README.md, "WAF allow-list"). A run starts
// when its stack applies, so `cdktf deploy` applies the allow-list first.
if (config.wafAllowlist !== undefined) {
  loadGeneration.addDependency(new WafAllowlistStack(app, 'opensaves-waf-allowlist', config, config.wafAllowlist));
}
app.synth();
