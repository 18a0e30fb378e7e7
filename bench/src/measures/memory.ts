import { readRssMb, type ServiceProcess } from '../harness/service-process';
import type { Figure, MeasureResult } from '../report/figures';
import { round } from '../stats';

export const rssTargetMb = 80;

/** Measure 4: each service's resident memory right after the data-path load. */
export async function measureMemory(services: readonly ServiceProcess[]): Promise<MeasureResult> {
  const figures: Figure[] = [];
  for (const service of services) {
    figures.push({
      id: `memory.${service.name}.rssMb`,
      label: `RSS after load: ${service.name}`,
      value: round(await readRssMb(service.pid), 1),
      unit: 'MB',
      target: { op: '<=', value: rssTargetMb },
    });
  }
  return { figures };
}
