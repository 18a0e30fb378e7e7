/** Bundles `<serviceDir>/src/server.ts` and its dependencies into `<outdir>/server.js` (default dist/). */
export function bundleServer(
  serviceDir: URL,
  options?: { readonly outdir?: string },
): Promise<void>;
