/** Bundles `<serviceDir>/src/server.ts` and its dependencies into one ESM file (default dist/server.js). */
export function bundleServer(
  serviceDir: URL,
  options?: { readonly outfile?: string },
): Promise<void>;
