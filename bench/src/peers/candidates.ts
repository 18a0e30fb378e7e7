import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../harness/paths';
import { spawnHttpProcess, startService, type ServiceProcess } from '../harness/service-process';
import { nginxInstalled, startNginx } from './nginx';
import { peerNames, type PeerName } from './registry';

/** One proxy the side-by-side comparison runs in front of the shared backend. */
export interface Candidate {
  readonly id: 'gateway' | 'nginx' | PeerName;
  readonly label: string;
  /** The path that reaches the backend's `/color` through this proxy. */
  readonly proxiedPath: string;
  /** Spawns the proxy; it counts as started at its first proxied 200. */
  start(backendUrl: string): Promise<ServiceProcess>;
}

const peerLabels: Record<PeerName, string> = {
  floor: 'node:http keep-alive hop (the floor)',
  'fastify-http-proxy': 'fastify + @fastify/http-proxy',
  'http-proxy-middleware': 'express + http-proxy-middleware',
  'express-http-proxy': "express + express-http-proxy (the article's)",
};

const peerBuildDir = path.join(repoRoot, 'bench/.build/peers');
const peerBundle = path.join(peerBuildDir, 'peer-main.js');

/**
 * Bundles the peers' entry once, so that no peer pays for TypeScript at start: our gateway runs
 * from its esbuild bundle too. Libraries stay in node_modules, as a user would run them.
 */
export async function buildPeers(): Promise<void> {
  await build({
    entryPoints: [path.join(repoRoot, 'bench/src/peers/peer-main.ts')],
    outdir: peerBuildDir,
    // Each peer in its own chunk, with its own imports: a process loads only the peer it runs.
    splitting: true,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
}

function peerCandidate(name: PeerName): Candidate {
  return {
    id: name,
    label: peerLabels[name],
    proxiedPath: '/color',
    start: (backendUrl) =>
      spawnHttpProcess({
        name,
        args: [peerBundle],
        env: { PEER: name, UPSTREAM: backendUrl },
        healthPath: '/color',
      }),
  };
}

const gateway: Candidate = {
  id: 'gateway',
  label: 'our gateway (color-client)',
  proxiedPath: '/gateway/color/color',
  start: (backendUrl) =>
    startService('client', {
      env: { COLOR_BACKEND: backendUrl, VERSION: 'bench' },
      healthPath: '/gateway/color/color',
    }),
};

const nginx: Candidate = {
  id: 'nginx',
  label: 'nginx, 1 worker (not Node: the reference)',
  proxiedPath: '/color',
  start: startNginx,
};

/**
 * The floor first (the others' answers are checked against its answer), our gateway, every Node
 * peer, and nginx when installed; call `buildPeers()` before starting one.
 */
export function candidatesOnThisMachine(): { candidates: Candidate[]; notes: string[] } {
  const candidates = [
    peerCandidate('floor'),
    gateway,
    ...peerNames.filter((name) => name !== 'floor').map(peerCandidate),
  ];
  if (nginxInstalled()) return { candidates: [...candidates, nginx], notes: [] };
  return {
    candidates,
    notes: [
      'nginx is not installed, so its reference row is skipped (`apt-get install nginx-light`)',
    ],
  };
}
