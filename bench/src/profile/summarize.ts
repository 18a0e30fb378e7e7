import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleRegions, layerOfSource, layers, sourceAtLine, type Layer } from './layers';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that we read. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
    };
  }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Microseconds of CPU per layer, over the samples of the profile's last `windowUs`. */
export async function cpuByLayer(
  profile: CpuProfile,
  windowUs: number,
): Promise<Record<Layer, number>> {
  const regionsByUrl = new Map<string, [number, string][]>();
  const layerOfNode = new Map<number, Layer | 'idle'>();
  for (const node of profile.nodes) {
    const { url, functionName, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      layerOfNode.set(node.id, 'idle');
      continue;
    }
    // V8's own entries, e.g. `(garbage collector)`, are named in parentheses and have no URL.
    const v8Entry = !url && functionName.startsWith('(');
    let source = url || (v8Entry ? functionName : `native ${functionName}`);
    if (url.startsWith('file:') && url.endsWith('.js')) {
      if (!regionsByUrl.has(url))
        regionsByUrl.set(url, bundleRegions(await readFile(fileURLToPath(url), 'utf8')));
      source = sourceAtLine(regionsByUrl.get(url)!, lineNumber);
    }
    layerOfNode.set(node.id, layerOfSource(source));
  }
  const totals = Object.fromEntries(layers.map((layer) => [layer, 0])) as Record<Layer, number>;
  const from = profile.endTime - windowUs;
  let at = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    const layer = layerOfNode.get(nodeId);
    if (at >= from && layer && layer !== 'idle') totals[layer] += delta;
  });
  return totals;
}
