import { measureInterleaved, type LoadFigures, type LoadTarget, type TargetFigures } from '../load';
import type { Figure, MeasureResult } from '../report/figures';
import { ratio } from '../stats';

export interface DataPathUrls {
  /** (a) the backend's `/color`, direct. */
  readonly direct: string;
  /** (b) the same through the baseline `node:http` keep-alive proxy. */
  readonly baseline: string;
  /** (c) the same through our gateway's `/gateway/color/color`. */
  readonly gateway: string;
  /** (d) the page's full local path through the local mesh's ingress, when it could start. */
  readonly ingress?: string;
}

export const dataPathPlan = { rounds: 3, warmupSec: 1, durationSec: 3, connections: 50 } as const;

const labels = {
  direct: '(a) backend direct',
  baseline: '(b) baseline node:http proxy',
  gateway: '(c) our gateway',
  ingress: '(d) full local path (ingress)',
} as const;

function pathFigures(id: keyof typeof labels, figures: LoadFigures): Figure[] {
  return [
    {
      id: `dataPath.${id}.requestsPerSec`,
      label: `${labels[id]}: requests/s`,
      value: figures.requestsPerSec,
      unit: 'req/s',
    },
    {
      id: `dataPath.${id}.p50Ms`,
      label: `${labels[id]}: p50 latency`,
      value: figures.p50Ms,
      unit: 'ms',
    },
    {
      id: `dataPath.${id}.p99Ms`,
      label: `${labels[id]}: p99 latency`,
      value: figures.p99Ms,
      unit: 'ms',
    },
    {
      id: `dataPath.${id}.failures`,
      label: `${labels[id]}: errors + non-2xx (all runs)`,
      value: figures.errors + figures.non2xx,
      unit: '',
      target: { op: '<=', value: 0 },
    },
  ];
}

/** Figures comparing a hop with the baseline, measured in the same interleaved rounds. */
function comparedWithBaseline(
  id: 'gateway' | 'ingress',
  hop: LoadFigures,
  baseline: LoadFigures,
  throughputTarget: number,
): Figure[] {
  const letter = id === 'gateway' ? '(c)' : '(d)';
  return [
    {
      id: `dataPath.${id}.throughputVsBaseline`,
      label: `${letter}/(b) throughput`,
      value: ratio(hop.requestsPerSec, baseline.requestsPerSec),
      unit: '×',
      target: { op: '>=', value: throughputTarget },
    },
    {
      id: `dataPath.${id}.p99VsBaseline`,
      label: `${letter}/(b) p99 latency`,
      value: ratio(hop.p99Ms, Math.max(baseline.p99Ms, 1)),
      unit: '×',
      target: { op: '<=', value: 2 },
    },
  ];
}

/** Errors are summed over every run, not the median: one failed request is one too many. */
function totalFailures(target: TargetFigures): LoadFigures {
  const sum = (key: 'errors' | 'non2xx') => target.runs.reduce((n, run) => n + run[key], 0);
  return { ...target.median, errors: sum('errors'), non2xx: sum('non2xx') };
}

/** Measure 1: the data path, four ways, interleaved, at 50 connections. */
export async function measureDataPath(
  urls: DataPathUrls,
  ingressUnavailable = 'the local mesh did not start',
): Promise<MeasureResult> {
  const targets: LoadTarget[] = [
    { id: 'direct', url: urls.direct },
    { id: 'baseline', url: urls.baseline },
    { id: 'gateway', url: urls.gateway },
  ];
  if (urls.ingress) targets.push({ id: 'ingress', url: urls.ingress });
  const measured = await measureInterleaved(targets, dataPathPlan);
  const get = (id: string) => totalFailures(measured[id] as TargetFigures);
  const baseline = get('baseline');
  const figures: Figure[] = [
    ...pathFigures('direct', get('direct')),
    ...pathFigures('baseline', baseline),
    ...pathFigures('gateway', get('gateway')),
    ...comparedWithBaseline('gateway', get('gateway'), baseline, 0.9),
  ];
  const notes: string[] = [];
  if (urls.ingress) {
    figures.push(...pathFigures('ingress', get('ingress')));
    figures.push(...comparedWithBaseline('ingress', get('ingress'), baseline, 0.8));
  } else {
    const placeholder = baseline;
    const unmeasured = [
      ...pathFigures('ingress', placeholder),
      ...comparedWithBaseline('ingress', placeholder, baseline, 0.8),
    ].map((f) => ({ ...f, value: null, note: ingressUnavailable }));
    figures.push(...unmeasured);
    notes.push(`(d) was not measured: ${ingressUnavailable}`);
  }
  return { figures, details: { plan: dataPathPlan, measured }, notes };
}
