import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { CLOUDFRONT_WAF_REGION, InfraConfigError, loadInfraConfig, type InfraConfig } from '../../catalogue/deployment.js';
import { ALLOW_RULE_GROUP_CAPACITY } from '../constructs/load-generation/load-egress-allowlist.js';
import { WafAllowlistStack } from '../stacks/waf-allowlist-stack.js';
import { exampleConfig, exampleEnv } from './support/config.js';
import { dataSourcesOf, resourcesOf, synthStack, type SynthResult } from './support/synth.js';

const PORT_ACL_ARN = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/open-saves-cloudfront/0123abcd-0123-4567-89ab-0123456789ab';

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadInfraConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(InfraConfigError);
    return (error as InfraConfigError).problems;
  }
  throw new Error('expected loadInfraConfig to throw');
}

function synthAllowlist(config: InfraConfig): SynthResult {
  if (config.wafAllowlist === undefined) throw new Error('the test configuration has no WAF allow-list');
  return synthStack(new WafAllowlistStack(Testing.app(), 'waf', config, config.wafAllowlist));
}

// The one resource of a type, with its Terraform address, so references to it can be checked.
function only(result: SynthResult, type: string): { address: string; body: Record<string, any> } {
  const entries = Object.entries(result.doc.resource?.[type] ?? {});
  expect(entries, type).toHaveLength(1);
  const [name, body] = entries[0] as [string, Record<string, any>];
  return { address: `${type}.${name}`, body };
}

describe('WAF allow-list configuration', () => {
  it('is off unless the egress or the port ACL is configured, and refuses a priority alone', () => {
    expect(exampleConfig().wafAllowlist).toBeUndefined();
    expect(problemsOf(exampleEnv({ OS_INFRA_WAF_ALLOW_PRIORITY: '3' }))).toEqual([
      'invalid OS_INFRA_WAF_ALLOW_PRIORITY; reason: expected it only with OS_INFRA_LOAD_EGRESS_CIDRS or OS_INFRA_WAF_WEB_ACL_ARN, got `3` alone',
    ]);
  });

  it('takes the given CIDRs, trimmed and without duplicates, at priority 0 unless told', () => {
    const config = exampleConfig({ OS_INFRA_LOAD_EGRESS_CIDRS: ' 203.0.113.7/32, 198.51.100.0/28,203.0.113.7/32 ' });
    expect(config.wafAllowlist).toEqual({ egress: { kind: 'cidrs', cidrs: ['203.0.113.7/32', '198.51.100.0/28'] }, priority: 0 });
  });

  it("uses the cluster VPC's NAT gateways when only the port ACL is given, or when asked to", () => {
    expect(exampleConfig({ OS_INFRA_WAF_WEB_ACL_ARN: PORT_ACL_ARN, OS_INFRA_WAF_ALLOW_PRIORITY: '2' }).wafAllowlist).toEqual({
      egress: { kind: 'cluster-nat' },
      webAclArn: PORT_ACL_ARN,
      priority: 2,
    });
    expect(exampleConfig({ OS_INFRA_LOAD_EGRESS_CIDRS: 'cluster-nat' }).wafAllowlist?.egress).toEqual({ kind: 'cluster-nat' });
  });

  it.each([
    ['host bits set', '203.0.113.7/24'],
    ['no prefix', '203.0.113.7'],
    ['wider than /16', '10.0.0.0/8'],
    ['an octet over 255', '203.0.113.256/32'],
    ['a leading zero', '203.0.113.07/32'],
    ['IPv6', '2001:db8::/64'],
  ])('names the variable and the bad entry for a CIDR with %s', (_, bad) => {
    expect(problemsOf(exampleEnv({ OS_INFRA_LOAD_EGRESS_CIDRS: `198.51.100.0/28,${bad}` }))).toEqual([
      `invalid OS_INFRA_LOAD_EGRESS_CIDRS; reason: expected comma-separated IPv4 CIDRs such as 203.0.113.7/32 (prefix /16 to /32, host bits zero), or cluster-nat, got \`${bad}\``,
    ]);
  });

  it('refuses a list with no entry', () => {
    expect(problemsOf(exampleEnv({ OS_INFRA_LOAD_EGRESS_CIDRS: ' , ' }))).toEqual([
      expect.stringMatching(/^invalid OS_INFRA_LOAD_EGRESS_CIDRS; reason: expected comma-separated IPv4 CIDRs .*, got `,`$/),
    ]);
  });

  it('refuses a regional web ACL and a bad priority, naming each', () => {
    const regional = 'arn:aws:wafv2:us-west-2:123456789012:regional/webacl/open-saves-alb/0123abcd-0123-4567-89ab-0123456789ab';
    expect(problemsOf(exampleEnv({ OS_INFRA_WAF_WEB_ACL_ARN: regional, OS_INFRA_WAF_ALLOW_PRIORITY: '-1' }))).toEqual([
      expect.stringMatching(new RegExp(`^invalid OS_INFRA_WAF_WEB_ACL_ARN; reason: expected the ARN of the port's CloudFront web ACL, .*global/webacl.*, got \`${regional}\`$`)),
      "invalid OS_INFRA_WAF_ALLOW_PRIORITY; reason: expected an integer >= 0, lower than the port's rate-based rule's priority, got `-1`",
    ]);
  });
});

describe('WafAllowlistStack with fixed CIDRs', () => {
  const result = synthAllowlist(exampleConfig({ OS_INFRA_LOAD_EGRESS_CIDRS: '203.0.113.7/32,198.51.100.0/28', OS_INFRA_WAF_ALLOW_PRIORITY: '4' }));
  const ipSet = only(result, 'aws_wafv2_ip_set');
  const ruleGroup = only(result, 'aws_wafv2_rule_group');

  it('puts exactly the given CIDRs into a CloudFront-scope IPv4 IP set in us-east-1', () => {
    expect(ipSet.body).toMatchObject({
      name: 'opensaves-loadtest-load-egress',
      scope: 'CLOUDFRONT',
      region: CLOUDFRONT_WAF_REGION,
      ip_address_version: 'IPV4',
      addresses: ['203.0.113.7/32', '198.51.100.0/28'],
    });
    expect(CLOUDFRONT_WAF_REGION).toBe('us-east-1');
    // The stack's provider stays in the service's region; only the WAF resources move.
    expect(result.doc.provider.aws[0].region).toBe('us-west-2');
    expect(ipSet.body.lifecycle).toBeUndefined();
  });

  it('allows that IP set in a CloudFront-scope rule group of fixed capacity', () => {
    expect(ruleGroup.body).toMatchObject({ name: 'opensaves-loadtest-load-egress-allow', scope: 'CLOUDFRONT', region: 'us-east-1', capacity: ALLOW_RULE_GROUP_CAPACITY });
    expect(ruleGroup.body.rule).toEqual([
      {
        name: 'opensaves-loadtest-load-egress-allow',
        priority: 0,
        action: { allow: {} },
        statement: { ip_set_reference_statement: { arn: `\${${ipSet.address}.arn}` } },
        visibility_config: { cloudwatch_metrics_enabled: true, metric_name: 'opensaves-loadtest-load-egress-allow', sampled_requests_enabled: true },
      },
    ]);
  });

  it('without the port ACL, changes no ACL and prints the rule to add to it at the configured priority', () => {
    expect(resourcesOf(result, 'aws_wafv2_web_acl_rule_group_association')).toEqual([]);
    expect(resourcesOf(result, 'aws_wafv2_web_acl')).toEqual([]);
    const rule = result.doc.output.port_web_acl_rule.value as string;
    expect(rule).toMatch(/^rule \{\n {2}name {5}= "opensaves-loadtest-load-egress-allow"\n {2}priority = 4\n/);
    expect(rule).toContain(`rule_group_reference_statement {\n      arn = "\${${ruleGroup.address}.arn}"\n    }`);
    expect(rule).toContain('override_action {\n    none {}\n  }');
    expect(result.doc.output.load_egress_rule_group_arn.value).toBe(`\${${ruleGroup.address}.arn}`);
  });
});

describe('WafAllowlistStack with the port ACL and the cluster NAT gateways', () => {
  const result = synthAllowlist(exampleConfig({ OS_INFRA_WAF_WEB_ACL_ARN: PORT_ACL_ARN, OS_INFRA_WAF_ALLOW_PRIORITY: '1' }));
  const ipSet = only(result, 'aws_wafv2_ip_set');
  const ruleGroup = only(result, 'aws_wafv2_rule_group');

  it('adds a rule referencing the group to the port ACL, at the configured priority, keeping its Allow', () => {
    expect(only(result, 'aws_wafv2_web_acl_rule_group_association').body).toEqual({
      web_acl_arn: PORT_ACL_ARN,
      region: 'us-east-1',
      rule_name: 'opensaves-loadtest-load-egress-allow',
      priority: 1,
      override_action: 'none',
      rule_group_reference: [{ arn: `\${${ruleGroup.address}.arn}` }],
    });
    expect(result.doc.output.port_web_acl_rule).toBeUndefined();
  });

  it("allows the public address of each NAT gateway in the cluster's VPC, as a /32", () => {
    const [cluster] = Object.keys(result.doc.data.aws_eks_cluster);
    const [gateways] = Object.keys(result.doc.data.aws_nat_gateways);
    const [gateway] = Object.keys(result.doc.data.aws_nat_gateway);
    expect(dataSourcesOf(result, 'aws_eks_cluster')).toEqual([{ name: 'open-saves-cluster' }]);
    expect(dataSourcesOf(result, 'aws_nat_gateways')).toEqual([
      { vpc_id: `\${data.aws_eks_cluster.${cluster}.vpc_config[0].vpc_id}`, filter: [{ name: 'state', values: ['available'] }] },
    ]);
    expect(dataSourcesOf(result, 'aws_nat_gateway')).toEqual([{ for_each: `\${toset(data.aws_nat_gateways.${gateways}.ids)}`, id: '${each.value}' }]);
    const addresses = `[ for key, val in data.aws_nat_gateway.${gateway}: format("%s/32", val.public_ip) if val.public_ip != ""]`;
    expect(ipSet.body.addresses).toBe(`\${${addresses}}`);
    expect(ipSet.body.lifecycle.precondition).toEqual([
      {
        condition: `\${(length(${addresses}) >= 1)}`,
        error_message: "No NAT gateway with a public address in the VPC of EKS cluster open-saves-cluster: set OS_INFRA_LOAD_EGRESS_CIDRS to the runners' egress CIDRs.",
      },
    ]);
  });
});
