import { serviceBundles } from '../src/harness/paths';
import {
  readCpuMs,
  readRssMb,
  spawnHttpProcess,
  type ServiceProcess,
} from '../src/harness/service-process';
import { measureInterleaved, responsesOf } from '../src/load';
import type { Figure, MeasureResult } from '../src/report/figures';
import { ratio, round } from '../src/stats';

export const youngGenerationPlan = { rounds: 3, warmupSec: 1, durationSec: 3, connections: 50 };

/** V8's young generation (semi-space) sizes tried against the default, in MB. */
export const semiSpaceSizesMb = [8, 4] as const;

/**
 * What bounding V8's young generation would do to the gateway: RSS after load against CPU per
 * request and throughput, each variant a gateway process of its own, loaded in the same rounds.
 * Under load V8 grows the young generation's semi-spaces up to their default maximum, much of
 * the gap between a Node process at rest and one under load.
 */
export async function measureYoungGeneration(
  backend: ServiceProcess,
  plan = youngGenerationPlan,
): Promise<MeasureResult> {
  const variants = [
    { id: 'default', flags: [] as string[] },
    ...semiSpaceSizesMb.map((mb) => ({
      id: `semi${mb}`,
      flags: [`--max-semi-space-size=${mb}`],
    })),
  ];
  const gateways: ServiceProcess[] = [];
  try {
    for (const variant of variants) {
      gateways.push(
        await spawnHttpProcess({
          name: `color-client ${variant.id}`,
          args: [...variant.flags, serviceBundles.client],
          env: { COLOR_BACKEND: backend.url, VERSION: 'bench' },
        }),
      );
    }
    const cpuAtStart: number[] = [];
    const measured = await measureInterleaved(
      variants.map((v, i) => ({ id: v.id, url: `${gateways[i]!.url}/gateway/color/color` })),
      plan,
      async () => {
        for (const gateway of gateways) cpuAtStart.push(await readCpuMs(gateway.pid));
      },
      true,
    );
    const rows = [];
    for (const [i, variant] of variants.entries()) {
      const target = measured[variant.id]!;
      const cpuMs = (await readCpuMs(gateways[i]!.pid)) - cpuAtStart[i]!;
      rows.push({
        id: variant.id,
        label: variant.flags[0] ?? 'V8 defaults',
        requestsPerSec: target.median.requestsPerSec,
        cpuMsPer1000: round((cpuMs * 1000) / Math.max(responsesOf(target), 1), 1),
        rssMb: round(await readRssMb(gateways[i]!.pid), 1),
      });
    }
    const [base, ...bounded] = rows as [(typeof rows)[0], ...typeof rows];
    const rss = (row: typeof base): Figure => ({
      id: `youngGeneration.${row.id}.rssMb`,
      label: `gateway with ${row.label}: RSS after load`,
      value: row.rssMb,
      unit: 'MB',
    });
    const figures: Figure[] = [
      rss(base),
      ...bounded.flatMap((row): Figure[] => [
        rss(row),
        {
          id: `youngGeneration.${row.id}.cpuVsDefault`,
          label: `gateway with ${row.label}: CPU per request ÷ V8 defaults`,
          value: ratio(row.cpuMsPer1000, base.cpuMsPer1000),
          unit: '×',
        },
        {
          id: `youngGeneration.${row.id}.throughputVsDefault`,
          label: `gateway with ${row.label}: throughput ÷ V8 defaults`,
          value: ratio(row.requestsPerSec, base.requestsPerSec),
          unit: '×',
        },
      ]),
    ];
    return { figures, details: { plan, rows } };
  } finally {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
  }
}
