/** The topology's traffic policy in VPC Lattice's terms: health checks for outlier detection. */
import { outlierPolicyOf, type ServiceSpec } from '@color-teller/topology';
import { albHealthCheckTiming } from '../private/defaults';

/** Lattice's documented ranges (HealthCheckConfig): interval 5-300 s, thresholds 2-10. */
const INTERVAL_S = { min: 5, max: 300 };
const THRESHOLD = { min: 2, max: 10 };
/** Passed checks that bring a task back: Lattice's smallest, so a task returns soonest. */
const HEALTHY_THRESHOLD = 2;

const clamp = (value: number, { min, max }: { min: number; max: number }) =>
  Math.min(max, Math.max(min, value));

/**
 * A version's target-group health check timing. Lattice has no outlier detection, so a service's
 * `outlierDetection` becomes active checks of its health path: `consecutive5xx` failed checks
 * take a task out, and two passed checks, `ejectMs` apart in all, bring it back. Without
 * outlier detection, the timing every target group of the system has.
 */
export function latticeHealthCheckTiming(service: ServiceSpec) {
  const policy = outlierPolicyOf(service);
  if (!policy) return albHealthCheckTiming();
  return {
    intervalSeconds: clamp(Math.round(policy.ejectMs / 1000 / HEALTHY_THRESHOLD), INTERVAL_S),
    healthyThresholdCount: HEALTHY_THRESHOLD,
    unhealthyThresholdCount: clamp(policy.consecutive5xx, THRESHOLD),
  };
}
