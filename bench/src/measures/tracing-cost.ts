import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readCpuMs, startService, type ServiceProcess } from '../harness/service-process';
import { failuresOf, measureInterleaved, responsesOf, type TargetFigures } from '../load';
import type { Figure, MeasureResult } from '../report/figures';
import { ratio, round } from '../stats';

export const tracingCostPlan = {
  rounds: 3,
  warmupSec: 1,
  durationSec: 3,
  connections: 50,
} as const;

/** The bounds on what tracing may cost the gateway, as CPU per request over tracing off. */
export const tracingTargets = { unsampled: 1.03, cloud: 1.1 } as const;

type Variant = 'off' | 'offAgain' | 'unsampled' | 'cloud';

/** A stand-in OTLP/HTTP collector: takes every export, counts the spans' batches. */
async function startCollectorStandIn(): Promise<{
  url: string;
  exports: () => number;
  server: Server;
}> {
  let exports = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      exports += 1;
      response.setHeader('content-type', 'application/json');
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, exports: () => exports, server };
}

/** Env of each gateway: tracing off; on, recording nothing; on as the cloud flavors set it. */
function variantEnv(collectorUrl: string): Record<Variant, Record<string, string>> {
  const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl };
  return {
    off: {},
    offAgain: {},
    unsampled: { ...tracing, OTEL_TRACES_SAMPLER: 'parentbased_always_off' },
    // What `OpenTelemetryTracing` sets (mesh-constructs): 1 new trace a second, then 5%.
    cloud: {
      ...tracing,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.05',
      TRACE_SAMPLES_PER_SECOND: '1',
    },
  };
}

const labels: Record<Variant, string> = {
  off: 'gateway, tracing off',
  offAgain: 'gateway, tracing off, a second process',
  unsampled: 'gateway, tracing on, nothing sampled',
  cloud: 'gateway, tracing as the cloud flavors set it (1/s, then 5%)',
};

/**
 * What tracing costs the gateway per request when it records nothing and when it samples as
 * the cloud flavors do: three gateways in front of the same backend, loaded in rotated order in
 * the same rounds, CPU from /proc over the measured rounds only.
 */
export async function measureTracingCost(
  backend: ServiceProcess,
  plan: {
    rounds: number;
    warmupSec: number;
    durationSec: number;
    connections: number;
  } = tracingCostPlan,
): Promise<MeasureResult> {
  const collector = await startCollectorStandIn();
  const gateways = new Map<Variant, ServiceProcess>();
  try {
    for (const [variant, env] of Object.entries(variantEnv(collector.url)) as [
      Variant,
      Record<string, string>,
    ][]) {
      gateways.set(
        variant,
        await startService('client', {
          env: { COLOR_BACKEND: backend.url, VERSION: 'bench', ...env },
        }),
      );
    }
    const targets = [...gateways].map(([id, gateway]) => ({
      id,
      url: `${gateway.url}/gateway/color/color`,
    }));
    const cpuAtStart = new Map<Variant, number>();
    const load = await measureInterleaved(
      targets,
      plan,
      async () => {
        for (const [variant, gateway] of gateways)
          cpuAtStart.set(variant, await readCpuMs(gateway.pid));
      },
      true,
    );
    const cpuPer1000 = new Map<Variant, number>();
    for (const [variant, gateway] of gateways) {
      const cpuMs = (await readCpuMs(gateway.pid)) - (cpuAtStart.get(variant) ?? 0);
      cpuPer1000.set(variant, round((cpuMs * 1000) / Math.max(responsesOf(load[variant]!), 1), 1));
    }
    // Let the cloud gateway's batch (every 5 s) reach the collector: it must have recorded some.
    await gateways.get('cloud')!.stop();
    if (collector.exports() === 0)
      throw new Error('the cloud-sampled gateway exported no spans: tracing was not switched on');
    const off = cpuPer1000.get('off')!;
    const figures: Figure[] = [
      ...(Object.keys(labels) as Variant[]).map((variant) => ({
        id: `tracing.${variant}.cpuMsPer1000`,
        label: `${labels[variant]}: CPU per 1,000 requests`,
        value: cpuPer1000.get(variant)!,
        unit: 'CPU-ms',
      })),
      {
        // Two equal gateways: how far apart this run's noise puts them.
        id: 'tracing.offAgainVsOff',
        label: 'tracing off, a second process: CPU per request ÷ the first (the noise)',
        value: ratio(cpuPer1000.get('offAgain')!, off),
        unit: '×',
      },
      {
        id: 'tracing.unsampledVsOff',
        label: 'tracing on, nothing sampled: CPU per request ÷ tracing off',
        value: ratio(cpuPer1000.get('unsampled')!, off),
        unit: '×',
        target: { op: '<=', value: tracingTargets.unsampled },
      },
      {
        id: 'tracing.cloudVsOff',
        label: 'tracing as the cloud flavors set it: CPU per request ÷ tracing off',
        value: ratio(cpuPer1000.get('cloud')!, off),
        unit: '×',
        target: { op: '<=', value: tracingTargets.cloud },
      },
      {
        id: 'tracing.failures',
        label: 'gateways with and without tracing: errors + non-2xx (all runs)',
        value: Object.values(load).reduce(
          (sum, target: TargetFigures) => sum + failuresOf(target),
          0,
        ),
        unit: '',
        target: { op: '<=', value: 0 },
      },
    ];
    return {
      figures,
      details: {
        plan,
        cpuMsPer1000: Object.fromEntries(cpuPer1000),
        exports: collector.exports(),
        load,
      },
    };
  } finally {
    await Promise.all([...gateways.values()].map((gateway) => gateway.stop()));
    collector.server.closeAllConnections();
    await new Promise((resolve) => collector.server.close(resolve));
  }
}
