import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../harness/paths';
import type { Figure, MeasureResult } from '../report/figures';
import { notMeasured } from '../report/figures';
import { round } from '../stats';

export const pageDist = path.join(repoRoot, 'services/color-client/web/dist');
export const pageJsTargetKb = 50;

/** Asset paths the HTML loads on first paint: module scripts, module preloads and stylesheets. */
export function firstLoadAssets(html: string): string[] {
  const found = new Set<string>();
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  for (const tag of tags) {
    const src = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    const loads = /^<script/.test(tag) || /rel="(modulepreload|stylesheet)"/.test(tag);
    if (src && loads && /\.(js|css)$/.test(src)) found.add(src.replace(/^\//, ''));
  }
  return [...found];
}

/** Gzip size at zlib's default level, as a server compressing on the fly would send it. */
function gzipBytes(content: Buffer): number {
  return gzipSync(content).length;
}

/** Measure 5: the production page's JS and CSS, gzip bytes, first load and in total. */
export async function measurePageWeight(): Promise<MeasureResult> {
  const figureIds = [
    {
      id: 'page.firstLoadJs.kb',
      label: 'page JS on first load (gzip)',
      unit: 'kB',
      target: { op: '<=' as const, value: pageJsTargetKb },
    },
    { id: 'page.firstLoadCss.kb', label: 'page CSS on first load (gzip)', unit: 'kB' },
    { id: 'page.allJs.kb', label: 'page JS, every chunk (gzip)', unit: 'kB' },
  ];
  let html: string;
  try {
    html = await readFile(path.join(pageDist, 'index.html'), 'utf8');
  } catch {
    return notMeasured(
      figureIds,
      `${pageDist}/index.html is missing: run \`npm run build -w @color-teller/color-client\``,
    );
  }
  const sizes = new Map<string, number>();
  for (const name of await readdir(path.join(pageDist, 'assets'))) {
    if (/\.(js|css)$/.test(name)) {
      sizes.set(`assets/${name}`, gzipBytes(await readFile(path.join(pageDist, 'assets', name))));
    }
  }
  const firstLoad = firstLoadAssets(html);
  const sum = (names: Iterable<string>, ext: string) =>
    [...names].filter((n) => n.endsWith(ext)).reduce((total, n) => total + (sizes.get(n) ?? 0), 0);
  const kb = (bytes: number) => round(bytes / 1000, 1);
  const figures: Figure[] = [
    { ...figureIds[0]!, value: kb(sum(firstLoad, '.js')) },
    { ...figureIds[1]!, value: kb(sum(firstLoad, '.css')) },
    { ...figureIds[2]!, value: kb(sum(sizes.keys(), '.js')) },
  ];
  return { figures, details: { gzipBytes: Object.fromEntries(sizes), firstLoad } };
}
