import type { LocalMesh } from '@color-teller/local-mesh';
import type { Topology } from '@color-teller/topology';
import { readCpuMs } from '../harness/service-process';
import { measureInterleaved, responsesOf } from '../load';
import type { Figure, MeasureResult } from '../report/figures';
import { round } from '../stats';

/** Latency with one connection (the hop's own delay, no queueing); CPU under 50 connections. */
export const localHopPlan = {
  latency: { rounds: 3, warmupSec: 1, durationSec: 3, connections: 1 },
  cpu: { rounds: 3, warmupSec: 1, durationSec: 3, connections: 50 },
} as const;

/**
 * The color backend run as a program of its own (`command`), which puts the runner's router in
 * front of its one version: the data-plane hop every service in another language gets.
 */
export function localHopTopology(nodePath: string): Topology {
  return {
    name: 'local-hop',
    namespace: 'local-hop.local',
    services: [
      {
        name: 'color',
        codePath: 'services/color-backend',
        command: [nodePath, 'dist/server.js'],
        port: 3000,
        healthPath: '/health',
        versions: [{ name: 'red', env: { COLOR: 'red' } }],
      },
    ],
    ingress: { service: 'color' },
  };
}

/**
 * What one local router hop adds: the same backend called direct and through its router, side
 * by side in the same rounds; p50/p99 added with one connection, and the router's CPU per
 * request (from /proc) under load.
 */
export async function measureLocalHop(mesh: LocalMesh): Promise<MeasureResult> {
  const version = mesh.processes.find((p) => p.role === 'service')!;
  const router = mesh.processes.find((p) => p.role === 'router')!;
  const targets = [
    { id: 'direct', url: `${version.url}/color` },
    { id: 'router', url: `${mesh.url}/color` },
  ];
  const latency = await measureInterleaved(targets, localHopPlan.latency, undefined, true);
  let cpuAtStart = 0;
  const cpu = await measureInterleaved(
    targets,
    localHopPlan.cpu,
    async () => {
      cpuAtStart = await readCpuMs(router.pid);
    },
    true,
  );
  const routerCpuMs = (await readCpuMs(router.pid)) - cpuAtStart;
  const direct = latency.direct!.median;
  const routed = latency.router!.median;
  const figures: Figure[] = [
    {
      id: 'localHop.addedP50Ms',
      label: 'local router hop: added p50 latency (1 connection)',
      value: round(routed.p50Ms - direct.p50Ms, 2),
      unit: 'ms',
    },
    {
      id: 'localHop.addedP99Ms',
      label: 'local router hop: added p99 latency (1 connection)',
      value: round(routed.p99Ms - direct.p99Ms, 2),
      unit: 'ms',
    },
    {
      id: 'localHop.cpuMsPer1000',
      label: "local router hop: the router's CPU per 1,000 requests (50 connections)",
      value: round((routerCpuMs * 1000) / Math.max(responsesOf(cpu.router!), 1), 1),
      unit: 'CPU-ms',
    },
    {
      id: 'localHop.throughputRatio',
      label: 'local router hop: requests/s through the router ÷ direct (50 connections)',
      value: round(
        cpu.router!.median.requestsPerSec / Math.max(cpu.direct!.median.requestsPerSec, 1),
        2,
      ),
      unit: '×',
    },
  ];
  return { figures, details: { plan: localHopPlan, latency, cpu, routerCpuMs } };
}
