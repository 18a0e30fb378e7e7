export {
  parseSmokeArgs,
  parseColorShares,
  SmokeUsageError,
  USAGE,
  type SmokeOptions,
} from './args';
export {
  runSmoke,
  defaultTolerancePercent,
  PATHS,
  type CheckResult,
  type SmokeReport,
} from './checks';
export { formatReport } from './report';
