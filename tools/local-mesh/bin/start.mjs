// Plain JavaScript on purpose: it must run before tsx exists, to say so in one line.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  require.resolve('tsx/package.json');
} catch {
  console.error(
    'local-mesh: the dependencies are not installed (tsx is missing): run "npm ci" at the repository root',
  );
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli.ts');
