import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROUTER_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const EGRESS_MAIN = fileURLToPath(new URL('../egress/main.ts', import.meta.url));
// Routers run from TypeScript source through tsx's loader, like the workspace libraries they use.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Node arguments that start a router process (its plan comes through env). */
export function routerArgs(): string[] {
  return ['--import', TSX_LOADER, ROUTER_MAIN];
}

/** Node arguments that start an egress forwarder (its plan comes through env). */
export function egressArgs(): string[] {
  return ['--import', TSX_LOADER, EGRESS_MAIN];
}
