export {
  parseSmokeArgs,
  parseColorShares,
  parseHeaderRoute,
  SmokeUsageError,
  USAGE,
  type SmokeOptions,
  type HeaderRoute,
} from './args';
export {
  runSmoke,
  defaultTolerancePercent,
  PATHS,
  type CheckResult,
  type SmokeReport,
} from './checks';
export { formatReport } from './report';
