/** Least-privilege X-Ray write access, shared by the X-Ray daemon and the OTLP collector. */
import * as iam from 'aws-cdk-lib/aws-iam';

/** X-Ray's write actions take no resource ARNs, so `*` is the narrowest resource there is. */
export function xrayWriteStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'XRayWrite',
    actions: [
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      'xray:GetSamplingStatisticSummaries',
    ],
    resources: ['*'],
  });
}

/** Reason given wherever the X-Ray statement's `*` is acknowledged. */
export const XRAY_WILDCARD_REASON =
  'X-Ray write actions (PutTraceSegments, PutTelemetryRecords, sampling) support no resource-level permissions';
