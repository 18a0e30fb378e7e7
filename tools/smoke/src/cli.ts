#!/usr/bin/env -S npx tsx
// `npm run smoke -- <url> [options]`: exit 0 when every check passes, 1 when one fails, 2 on bad usage.
import { SmokeUsageError, parseSmokeArgs } from './args';
import { runSmoke } from './checks';
import { formatReport } from './report';

try {
  const report = await runSmoke(parseSmokeArgs(process.argv.slice(2)));
  process.stdout.write(formatReport(report));
  process.exitCode = report.ok ? 0 : 1;
} catch (error) {
  if (!(error instanceof SmokeUsageError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
}
