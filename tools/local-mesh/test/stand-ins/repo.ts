import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Topology } from '@color-teller/topology';

// Stand-in services as plain Node scripts (CommonJS), so the runner is tested without builds.
const BACKEND = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.url === '/health') return res.end('{"status":"up"}');
  res.end(JSON.stringify({ color: process.env.COLOR, pid: process.pid }));
});
server.listen(Number(process.env.PORT), process.env.HOST, () => console.log('backend listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const FRONT = `
const http = require('node:http');
const server = http.createServer(async (req, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.url === '/health') return res.end('{"status":"up"}');
  try {
    const upstream = await fetch(process.env.COLOR_BACKEND + '/color', {
      headers: { cookie: req.headers.cookie || '', 'x-color-version': req.headers['x-color-version'] || '' },
    });
    res.end(await upstream.text());
  } catch {
    res.statusCode = 502;
    res.end('{"error":"backend_unavailable"}');
  }
});
server.listen(Number(process.env.PORT), process.env.HOST, () => console.log('front listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const CRASHES = `console.error('COLOR is required'); process.exit(1);`;

/** A temporary repository with stand-in services: `backend`, `front` and `crashes`. */
export function standInRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'local-mesh-repo-'));
  for (const [name, code] of [
    ['backend', BACKEND],
    ['front', FRONT],
    ['crashes', CRASHES],
  ] as const) {
    mkdirSync(join(root, 'services', name, 'dist'), { recursive: true });
    writeFileSync(join(root, 'services', name, 'dist', 'server.js'), code);
  }
  return root;
}

/** The stand-ins as a topology: `front` (ingress) calls `color`, which has the given versions. */
export function standInTopology(
  versions: Topology['services'][number]['versions'],
  routes: Topology['services'][number]['routes'] = [],
): Topology {
  return {
    name: 'stand-in',
    namespace: 'stand-in.local',
    services: [
      {
        name: 'color',
        codePath: 'services/backend',
        port: 3000,
        healthPath: '/health',
        versions,
        routes,
      },
      {
        name: 'front',
        codePath: 'services/front',
        port: 3000,
        healthPath: '/health',
        backends: [{ service: 'color' }],
        versions: [{ name: 'v1' }],
      },
    ],
    ingress: { service: 'front' },
  };
}
