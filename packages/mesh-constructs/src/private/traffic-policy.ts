/** The traffic policy statements of a synthesis: notes per flavor, and faults no flavor injects. */
import type { Topology } from '@color-teller/topology';
import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { MeshFlavorName } from '../mesh-flavor';
import { faultyVersions, trafficPolicyNotes } from '../routing/traffic-policy-notes';

/** Warning ID for faults that only the local runner injects; acknowledge it where intended. */
export const FAULTS_NOT_INJECTED_WARNING = '@color-teller/mesh-constructs:faultsNotInjected';

/** Says once that faults are not injected in AWS, and what the flavor does with the policy. */
export function sayTrafficPolicy(scope: IConstruct, topology: Topology, flavor: MeshFlavorName) {
  const faulty = faultyVersions(topology);
  if (faulty.length > 0) {
    Annotations.of(scope).addWarningV2(
      FAULTS_NOT_INJECTED_WARNING,
      `faults of ${faulty.join(', ')} are not injected: the AWS flavors inject no faults; rehearse them with the local runner (npm start), which applies them`,
    );
  }
  for (const note of trafficPolicyNotes(topology, flavor)) Annotations.of(scope).addInfo(note);
}
