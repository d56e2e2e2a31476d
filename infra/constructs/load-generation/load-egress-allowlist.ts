// Exempts the load generators' egress addresses from the port's CloudFront WAF: an IP set,
// a rule group whose one rule allows it, and, given the port's web ACL, the rule that puts
// the group into that ACL. The kit cannot own the port's ACL (the port's Terraform does),
// so the group is what the ACL references. Allow is terminating in WAFv2: a request it
// matches skips every later rule of the ACL, the rate-based rule included, which then
// never counts it.
import { Wafv2IpSet } from '@cdktf/provider-aws/lib/wafv2-ip-set/index.js';
import { Wafv2RuleGroup } from '@cdktf/provider-aws/lib/wafv2-rule-group/index.js';
import { Wafv2WebAclRuleGroupAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-rule-group-association/index.js';
import { Fn, Op } from 'cdktf';
import { Construct } from 'constructs';
import { CLOUDFRONT_WAF_REGION } from '../../../catalogue/deployment.js';

export interface LoadEgressAllowlistConfig {
  readonly prefix: string;
  // IPv4 CIDRs: literal values or a Terraform expression (Token.asList).
  readonly addresses: string[];
  // For addresses Terraform finds at plan time: the message that stops the plan when it finds none.
  readonly emptyAddressesError?: string;
  // Priority of the group's rule in the port's web ACL.
  readonly priority: number;
  readonly webAclArn?: string;
}

// One IP set reference statement costs 1 WCU; a group's capacity cannot change once created.
export const ALLOW_RULE_GROUP_CAPACITY = 1;

function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

export class LoadEgressAllowlist extends Construct {
  readonly ipSet: Wafv2IpSet;
  readonly ruleGroup: Wafv2RuleGroup;
  readonly association?: Wafv2WebAclRuleGroupAssociation;
  // The name of the allow rule inside the group and of the rule that references the group in the ACL.
  readonly ruleName: string;

  constructor(scope: Construct, id: string, config: LoadEgressAllowlistConfig) {
    super(scope, id);
    this.ruleName = `${config.prefix}-load-egress-allow`;
    // Scope CLOUDFRONT: only the one fixed region of CloudFront WAF accepts these.
    const cloudfront = { scope: 'CLOUDFRONT', region: CLOUDFRONT_WAF_REGION };
    this.ipSet = new Wafv2IpSet(this, 'ip-set', {
      ...cloudfront,
      name: `${config.prefix}-load-egress`,
      description: 'Egress addresses of the load-test runners, exempt from the rate-based rule',
      ipAddressVersion: 'IPV4',
      addresses: config.addresses,
      // An empty set would allow nothing, silently: the run would then meet the rate-based rule.
      ...(config.emptyAddressesError === undefined
        ? {}
        : { lifecycle: { precondition: [{ condition: Op.gte(Fn.lengthOf(config.addresses), 1), errorMessage: config.emptyAddressesError }] } }),
    });
    this.ruleGroup = new Wafv2RuleGroup(this, 'rule-group', {
      ...cloudfront,
      name: this.ruleName,
      description: 'Allows the load-test runners before the rate-based rule sees them',
      capacity: ALLOW_RULE_GROUP_CAPACITY,
      rule: [
        {
          name: this.ruleName,
          priority: 0,
          action: { allow: {} },
          // statement is untyped in the provider bindings: Terraform's own block names.
          statement: { ip_set_reference_statement: { arn: this.ipSet.arn } },
          visibilityConfig: visibility(this.ruleName),
        },
      ],
      visibilityConfig: visibility(this.ruleName),
    });
    if (config.webAclArn !== undefined) {
      this.association = new Wafv2WebAclRuleGroupAssociation(this, 'web-acl-rule', {
        region: CLOUDFRONT_WAF_REGION,
        webAclArn: config.webAclArn,
        ruleName: this.ruleName,
        priority: config.priority,
        // Keep the group's own Allow; 'count' would make the rule a no-op.
        overrideAction: 'none',
        ruleGroupReference: [{ arn: this.ruleGroup.arn }],
      });
    }
  }
}
