/** The ingress's own name: an alias record so that the certificate's name reaches the ALB. */
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import type { Construct } from 'constructs';

export function aliasRecord(
  scope: Construct,
  domainName: string,
  zone: route53.IHostedZone,
  loadBalancer: elbv2.IApplicationLoadBalancer,
): route53.ARecord {
  return new route53.ARecord(scope, 'Alias', {
    zone,
    recordName: domainName,
    target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(loadBalancer)),
  });
}
