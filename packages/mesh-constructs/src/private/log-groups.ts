/** Log groups of the system: encrypted with its key, kept for the default retention. */
import { RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { defaultLogRetentionDays } from './defaults';

/** Retention in days to the CloudWatch enum value. */
function retentionOf(days: number): logs.RetentionDays {
  const known = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!known.includes(days)) {
    throw new Error(
      `Log retention of ${days} days is not offered by CloudWatch; use one of ${known.join(', ')}`,
    );
  }
  return days as logs.RetentionDays;
}

export function encryptedLogGroup(
  scope: Construct,
  id: string,
  key: IKey,
  options: { readonly logGroupName?: string } = {},
): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    ...options,
    encryptionKey: key,
    retention: retentionOf(defaultLogRetentionDays()),
    // Logs go with the stack so that `npm run destroy` leaves nothing behind.
    removalPolicy: RemovalPolicy.DESTROY,
  });
}
