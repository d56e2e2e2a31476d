// The public addresses through which pods of an EKS cluster reach the internet when their
// subnets route through NAT gateways: each available NAT gateway of the cluster's VPC, as a
// /32. Read when Terraform plans; private NAT gateways (no public address) are left out.
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster/index.js';
import { DataAwsNatGateway } from '@cdktf/provider-aws/lib/data-aws-nat-gateway/index.js';
import { DataAwsNatGateways } from '@cdktf/provider-aws/lib/data-aws-nat-gateways/index.js';
import { TerraformIterator, Token } from 'cdktf';
import { Construct } from 'constructs';

export class ClusterNatEgress extends Construct {
  readonly cidrs: string[];

  constructor(scope: Construct, id: string, clusterName: string) {
    super(scope, id);
    const cluster = new DataAwsEksCluster(this, 'cluster', { name: clusterName });
    const gateways = new DataAwsNatGateways(this, 'gateways', {
      vpcId: cluster.vpcConfig.get(0).vpcId,
      filter: [{ name: 'state', values: ['available'] }],
    });
    const each = TerraformIterator.fromList(gateways.ids);
    const gateway = new DataAwsNatGateway(this, 'gateway', { forEach: each, id: each.value });
    this.cidrs = Token.asList(
      TerraformIterator.fromDataSources(gateway).forExpressionForList('format("%s/32", val.public_ip) if val.public_ip != ""'),
    );
  }
}
