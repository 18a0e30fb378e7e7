import { defineConfig } from 'vitest/config';

// The page's own Vite config: the production build served by the gateway and the `web` Vitest
// project (component tests in a DOM environment).
export default defineConfig({
  // Preact's automatic JSX runtime (the same setting tsconfig.json gives the type checker).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    // Components and the testing library must share one Preact copy, or hooks break.
    dedupe: ['preact'],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP allows only 'self' scripts: no inline module-preload polyfill.
    modulePreload: { polyfill: false },
    // No data: URIs either; every asset stays a file under /assets/.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  test: {
    name: 'web',
    environment: 'happy-dom',
    include: ['test/**/*.test.tsx'],
    // Let Vite resolve the testing library's `preact` imports (dedupe only applies to inlined deps).
    server: { deps: { inline: ['@testing-library/preact'] } },
    restoreMocks: true,
  },
});
