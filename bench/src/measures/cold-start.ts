import { startService, spawnHttpProcess, type ServiceProcess } from '../harness/service-process';
import type { Figure, MeasureResult } from '../report/figures';
import { median, round } from '../stats';

export const coldStartPlan = { spawns: 5, targetMs: 200 } as const;

// Node's own floor: the smallest HTTP server, answering 200 on every path.
const bareServer =
  "require('node:http').createServer((q,s)=>s.end('ok')).listen(+process.env.PORT,process.env.HOST)";

async function spawnToHealthy(start: () => Promise<ServiceProcess>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < coldStartPlan.spawns; i++) {
    const service = await start();
    times.push(service.spawnToHealthyMs);
    await service.stop('SIGKILL');
  }
  return times;
}

/** Measure 3: process spawn to the first 200 on the health path, median of 5 per service. */
export async function measureColdStart(): Promise<MeasureResult> {
  const runs = {
    backend: await spawnToHealthy(() => startService('backend', { env: { COLOR: 'red' } })),
    // The gateway's health does not need the backend: any URL configures it.
    client: await spawnToHealthy(() =>
      startService('client', { env: { COLOR_BACKEND: 'http://127.0.0.1:9', VERSION: 'bench' } }),
    ),
    nodeFloor: await spawnToHealthy(() =>
      spawnHttpProcess({ name: 'bare node:http', args: ['-e', bareServer] }),
    ),
  };
  const figures: Figure[] = [
    {
      id: 'coldStart.backend.ms',
      label: 'cold start: color-backend (spawn → first 200)',
      value: round(median(runs.backend), 0),
      unit: 'ms',
      target: { op: '<=', value: coldStartPlan.targetMs },
    },
    {
      id: 'coldStart.client.ms',
      label: 'cold start: color-client (spawn → first 200)',
      value: round(median(runs.client), 0),
      unit: 'ms',
      target: { op: '<=', value: coldStartPlan.targetMs },
    },
    {
      id: 'coldStart.nodeFloor.ms',
      label: 'cold start: bare node:http server (Node floor)',
      value: round(median(runs.nodeFloor), 0),
      unit: 'ms',
    },
  ];
  return { figures, details: { plan: coldStartPlan, runsMs: runs } };
}
