// Bundles a service's src/server.ts and every dependency into one ESM file, dist/server.js:
// start-up stays fast (module loading is most of it) and the container needs no node_modules.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/**
 * @param {URL} serviceDir the service folder (holding src/server.ts), as a file: URL ending in /
 * @param {{ outfile?: string }} [options] where to write the bundle; default dist/server.js
 */
export async function bundleServer(serviceDir, options = {}) {
  const dir = fileURLToPath(serviceDir);
  await build({
    entryPoints: [`${dir}src/server.ts`],
    outfile: options.outfile ?? `${dir}dist/server.js`,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Not minified: stack traces stay readable and start-up is the same (parsing is not the cost).
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
    // Bundled CommonJS dependencies call require() for Node built-ins, which ESM lacks.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
}
