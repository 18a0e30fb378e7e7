import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root, found from this file so that the bench runs from any directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The esbuild bundles the services' builds write; the bench and reliability tests run these. */
export const serviceBundles = {
  backend: path.join(repoRoot, 'services/color-backend/dist/server.js'),
  client: path.join(repoRoot, 'services/color-client/dist/server.js'),
} as const;

export type ServiceKind = keyof typeof serviceBundles;

/** The baseline proxy's entry, run through tsx in its own process. */
export const passthroughProxyMain = path.join(repoRoot, 'bench/src/passthrough-proxy-main.ts');
