import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serviceBundles } from '../harness/paths';
import { spawnHttpProcess, type ServiceProcess } from '../harness/service-process';
import { runLoad } from '../load';
import { cpuByLayer, type CpuProfile } from '../profile/summarize';
import { layers } from '../profile/layers';
import type { Figure, MeasureResult } from '../report/figures';
import { round } from '../stats';

export const profilePlan = { warmupSec: 1, durationSec: 3, connections: 50 } as const;

/**
 * Where the gateway's CPU goes per proxied request, by layer: the gateway runs under
 * `--cpu-prof` (which slows it a little), is loaded, then stopped so V8 writes the profile; only
 * the samples of the measured load count.
 */
export async function measureGatewayProfile(
  backend: ServiceProcess,
  plan: { warmupSec: number; durationSec: number; connections: number } = profilePlan,
): Promise<MeasureResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-profile-'));
  const gateway = await spawnHttpProcess({
    name: 'color-client, profiled',
    args: ['--cpu-prof', `--cpu-prof-dir=${dir}`, serviceBundles.client],
    env: { COLOR_BACKEND: backend.url, VERSION: 'bench' },
  });
  let responses = 0;
  try {
    const url = `${gateway.url}/gateway/color/color`;
    await runLoad({ url, durationSec: plan.warmupSec, connections: plan.connections });
    responses = (
      await runLoad({ url, durationSec: plan.durationSec, connections: plan.connections })
    ).responses;
  } finally {
    await gateway.stop();
  }
  const file = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`the gateway wrote no CPU profile into ${dir}`);
  const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile;
  const byLayer = await cpuByLayer(profile, plan.durationSec * 1e6);
  const total = Object.values(byLayer).reduce((sum, us) => sum + us, 0);
  const figures: Figure[] = layers.map((layer) => ({
    id: `profile.gateway.${layer.split(' ')[0]!.toLowerCase()}`,
    label: `gateway CPU per request, profiled: ${layer}`,
    value: round(byLayer[layer] / Math.max(responses, 1), 1),
    unit: 'µs',
    note: `${round((100 * byLayer[layer]) / Math.max(total, 1), 0)}% of the sampled CPU`,
  }));
  return { figures, details: { plan, responses, cpuUsByLayer: byLayer } };
}
