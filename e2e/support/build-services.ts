// Global set-up of the e2e project: the reliability tests run the service bundles in dist/, so a
// stale or missing bundle is rebuilt first rather than tested silently.
import { join } from 'node:path';
import { buildStale } from '../../tools/local-mesh/src/build';
import { REPO_ROOT } from './mesh';

export default async function buildServices(): Promise<void> {
  const services = ['services/color-backend', 'services/color-client'];
  await buildStale(
    services.map((service) => join(REPO_ROOT, service)),
    REPO_ROOT,
    (line) => console.log(line),
  );
}
