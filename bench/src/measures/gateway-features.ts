import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot, serviceBundles } from '../harness/paths';
import { readCpuMs, spawnHttpProcess, type ServiceProcess } from '../harness/service-process';
import { failuresOf, measureInterleaved, responsesOf } from '../load';
import { buildPeers } from '../peers/candidates';
import type { Figure, MeasureResult } from '../report/figures';
import { ratio, round } from '../stats';

export const gatewayFeaturesPlan = { rounds: 3, warmupSec: 1, durationSec: 3, connections: 50 };

const variantDir = path.join(repoRoot, 'bench/.build/gateway-variant');

/** Our gateway's source with a feature left out, bundled whole as the service's build does. */
async function buildVariant(): Promise<string> {
  await build({
    entryPoints: { main: path.join(repoRoot, 'bench/src/gateway-variant-main.ts') },
    outdir: variantDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  return path.join(variantDir, 'main.js');
}

interface Variant {
  readonly id: string;
  readonly label: string;
  readonly args: (variantMain: string) => string[];
  readonly env: Record<string, string>;
  readonly path: string;
}

const floorMain = path.join(repoRoot, 'bench/.build/peers/peer-main.js');

const variants: readonly Variant[] = [
  {
    id: 'floor',
    label: 'the node:http floor',
    args: () => [floorMain],
    env: { PEER: 'floor' },
    path: '/color',
  },
  {
    id: 'gateway',
    label: 'our gateway',
    args: () => [serviceBundles.client],
    env: {},
    path: '/gateway/color/color',
  },
  {
    id: 'noSecurityHeaders',
    label: "our gateway without helmet's security headers",
    args: (main) => [main],
    env: { WITHOUT: 'security-headers' },
    path: '/gateway/color/color',
  },
  {
    id: 'noRequestLine',
    label: 'our gateway without its request log line (LOG_LEVEL=warn)',
    args: () => [serviceBundles.client],
    env: { LOG_LEVEL: 'warn' },
    path: '/gateway/color/color',
  },
  {
    id: 'neither',
    label: 'our gateway without either',
    args: (main) => [main],
    env: { WITHOUT: 'security-headers', LOG_LEVEL: 'warn' },
    path: '/gateway/color/color',
  },
];

/**
 * What stands between the gateway and the floor (CPU per proxied request, throughput, p99),
 * feature by feature: the same gateway with helmet's headers and with its request line left out, loaded
 * in rotated order in the same rounds as the floor, CPU from /proc over the measured rounds.
 */
export async function measureGatewayFeatures(
  backend: ServiceProcess,
  plan = gatewayFeaturesPlan,
): Promise<MeasureResult> {
  await buildPeers();
  const variantMain = await buildVariant();
  const processes = new Map<string, ServiceProcess>();
  try {
    for (const variant of variants) {
      processes.set(
        variant.id,
        await spawnHttpProcess({
          name: variant.label,
          args: variant.args(variantMain),
          env: {
            COLOR_BACKEND: backend.url,
            UPSTREAM: backend.url,
            VERSION: 'bench',
            ...variant.env,
          },
          healthPath: variant.path,
        }),
      );
    }
    const cpuAtStart = new Map<string, number>();
    const load = await measureInterleaved(
      variants.map((variant) => ({
        id: variant.id,
        url: `${processes.get(variant.id)!.url}${variant.path}`,
      })),
      plan,
      async () => {
        for (const [id, process] of processes) cpuAtStart.set(id, await readCpuMs(process.pid));
      },
      true,
    );
    const cpuPer1000 = new Map<string, number>();
    for (const [id, process] of processes) {
      const cpuMs = (await readCpuMs(process.pid)) - cpuAtStart.get(id)!;
      cpuPer1000.set(id, round((cpuMs * 1000) / Math.max(responsesOf(load[id]!), 1), 1));
    }
    const floorCpu = cpuPer1000.get('floor')!;
    const floorLoad = load['floor']!.median;
    const figures: Figure[] = variants
      .filter((variant) => variant.id !== 'floor')
      .flatMap((variant) => {
        const { requestsPerSec, p99Ms } = load[variant.id]!.median;
        return [
          {
            id: `gatewayFeatures.${variant.id}.cpuVsFloor`,
            label: `${variant.label}: CPU per request ÷ the floor`,
            value: ratio(cpuPer1000.get(variant.id)!, floorCpu),
            unit: '×',
          },
          {
            id: `gatewayFeatures.${variant.id}.throughputVsFloor`,
            label: `${variant.label}: throughput ÷ the floor`,
            value: ratio(requestsPerSec, floorLoad.requestsPerSec),
            unit: '×',
          },
          {
            id: `gatewayFeatures.${variant.id}.p99VsFloor`,
            label: `${variant.label}: p99 ÷ the floor`,
            value: ratio(p99Ms, Math.max(floorLoad.p99Ms, 1)),
            unit: '×',
          },
        ];
      });
    figures.push({
      id: 'gatewayFeatures.failures',
      label: 'gateway variants and the floor: errors + non-2xx (all runs)',
      value: Object.values(load).reduce((sum, target) => sum + failuresOf(target), 0),
      unit: '',
      target: { op: '<=', value: 0 },
    });
    return { figures, details: { plan, cpuMsPer1000: Object.fromEntries(cpuPer1000), load } };
  } finally {
    await Promise.all([...processes.values()].map((process) => process.stop()));
  }
}
