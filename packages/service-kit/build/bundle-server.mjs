// Bundles a service's src/server.ts and every dependency into dist/server.js (ESM): start-up
// stays fast (module loading is most of it) and the container needs no node_modules. Modules
// imported dynamically (OpenTelemetry, only when configured) go to dist/chunks/, loaded on use.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * @param {URL} serviceDir the service folder (holding src/server.ts), as a file: URL ending in /
 * @param {{ outdir?: string }} [options] where to write the bundle; default <serviceDir>/dist
 */
export async function bundleServer(serviceDir, options = {}) {
  const dir = fileURLToPath(serviceDir);
  await build({
    entryPoints: { server: `${dir}src/server.ts` },
    outdir: options.outdir ?? `${dir}dist`,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Not minified: stack traces stay readable, and start-up measured no faster minified.
    legalComments: 'linked',
    logLevel: 'warning',
    // Bundled CommonJS dependencies call require() for Node built-ins, which ESM lacks.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
}
