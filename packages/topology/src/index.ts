export type * from './types';
export { defineTopology } from './define';
export { ProblemListError, TopologyError, TopologyLoadError } from './errors';
export { withServiceChanged } from './edit';
export { validateTopology } from './validate';
export { backendEnvVar, versionEnv } from './env';
export {
  cookieRouteMatches,
  cookieRouteRegex,
  cookieRouteSubstrings,
  type CookieCondition,
} from './cookie';
export { needsRouting, versionWeight, weightPercentages } from './weights';
export { backendsFirst, findBackendCycle, findService, ingressService } from './graph';
export { DEFAULT_TIMEOUTS, callerTimeoutEnv, timeoutsOf, upstreamTimeoutEnv } from './timeouts';
export { externalBackends, findExternal, serviceBackends } from './externals';
export {
  DEFAULT_MAX_EJECTION_PERCENT,
  DEFAULT_RETRY_ON,
  IDEMPOTENT_METHODS,
  RETRY_BUDGET,
  RETRY_CONDITIONS,
  RetryBudget,
  callerRetryEnv,
  decideFault,
  hasFaults,
  isRetryable,
  maxEjectedVersions,
  mayRetryMethod,
  outlierPolicyOf,
  retriesProblems,
  retryPolicyOf,
  settleOutlierDetection,
  settleRetries,
  tryTimeoutMs,
  type FaultDecision,
  type RetryPolicy,
  type TryOutcome,
} from './traffic-policy';
export { imageReferenceProblem, parseImageReference, type ImageReference } from './image';
