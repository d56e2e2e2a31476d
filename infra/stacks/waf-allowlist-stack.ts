// The load generators' egress addresses, exempt from the port's CloudFront WAF (see
// infra/README.md, "WAF allow-list"). Its own stack so it can be applied, and the WAF change
// can propagate, before the load-generation stack starts a run. Only wires constructs together.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { InfraConfig, WafAllowlistConfig } from '../../catalogue/deployment.js';
import { ClusterNatEgress } from '../constructs/load-generation/cluster-nat-egress.js';
import { LoadEgressAllowlist } from '../constructs/load-generation/load-egress-allowlist.js';
import { PROJECT_TAGS } from './observability-stack.js';

export class WafAllowlistStack extends TerraformStack {
  constructor(scope: Construct, id: string, config: InfraConfig, waf: WafAllowlistConfig) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: config.region, defaultTags: [{ tags: PROJECT_TAGS }] });
    const egress =
      waf.egress.kind === 'cidrs'
        ? { addresses: [...waf.egress.cidrs] }
        : {
            addresses: new ClusterNatEgress(this, 'cluster-nat', config.eksCluster).cidrs,
            emptyAddressesError: `No NAT gateway with a public address in the VPC of EKS cluster ${config.eksCluster}: set OS_INFRA_LOAD_EGRESS_CIDRS to the runners' egress CIDRs.`,
          };
    const allowlist = new LoadEgressAllowlist(this, 'cloudfront-waf-allowlist', {
      prefix: config.prefix,
      ...egress,
      priority: waf.priority,
      ...(waf.webAclArn === undefined ? {} : { webAclArn: waf.webAclArn }),
    });

    new TerraformOutput(this, 'load_egress_ip_set_arn', { value: allowlist.ipSet.arn });
    new TerraformOutput(this, 'load_egress_addresses', { value: allowlist.ipSet.addresses });
    new TerraformOutput(this, 'load_egress_rule_group_arn', { value: allowlist.ruleGroup.arn });
    if (waf.webAclArn === undefined) {
      // Without the ACL's ARN the rule goes into the port's aws_wafv2_web_acl by hand: this block.
      new TerraformOutput(this, 'port_web_acl_rule', {
        value: [
          'rule {',
          `  name     = "${allowlist.ruleName}"`,
          `  priority = ${waf.priority}`,
          '  override_action {\n    none {}\n  }',
          `  statement {\n    rule_group_reference_statement {\n      arn = "${allowlist.ruleGroup.arn}"\n    }\n  }`,
          `  visibility_config {\n    cloudwatch_metrics_enabled = true\n    metric_name                = "${allowlist.ruleName}"\n    sampled_requests_enabled   = true\n  }`,
          '}',
        ].join('\n'),
      });
    }
  }
}
