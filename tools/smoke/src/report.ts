import type { SmokeReport } from './checks';

/** The report a person reads: one line per check, then the verdict. */
export function formatReport(report: SmokeReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const lines = report.checks.map(
    (check) => `  ${check.ok ? 'PASS' : 'FAIL'}  ${check.name.padEnd(width)}  ${check.detail}`,
  );
  const failed = report.checks.filter((c) => !c.ok).length;
  const verdict =
    failed === 0 ? 'all checks passed' : `${failed} of ${report.checks.length} checks failed`;
  return [`Smoke test of ${report.url}`, ...lines, verdict, ''].join('\n');
}
