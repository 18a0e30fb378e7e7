/** Where a bundle's code came from, so a CPU profile of the bundle can be read per library. */

/** The layers a proxied request passes through, in the order a reader follows it. */
export const layers = [
  'Node core: HTTP parsing, sockets, streams',
  'fastify (routing, hooks, reply)',
  'logging (pino)',
  'upstream client (undici)',
  'our code (service-kit, color-client)',
  'garbage collection',
  'other',
] as const;

export type Layer = (typeof layers)[number];

/** The layer a source file (a path in an esbuild region comment, or a node: URL) belongs to. */
export function layerOfSource(source: string): Layer {
  if (source === '(garbage collector)') return 'garbage collection';
  if (source.startsWith('wasm://')) return 'upstream client (undici)'; // undici's llhttp parser
  // node: modules, and C++ bindings (socket writes, string encoding), which have no URL.
  if (source.startsWith('node:') || source === '(program)' || source.startsWith('native '))
    return 'Node core: HTTP parsing, sockets, streams';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1];
  if (pkg === undefined) {
    return /^src\/|packages\/|services\//.test(source)
      ? 'our code (service-kit, color-client)'
      : 'other';
  }
  if (
    /^(pino|sonic-boom|thread-stream|safe-stable-stringify|@pinojs\/|pino-std-serializers|quick-format-unescaped|atomic-sleep|on-exit-leak-free)/.test(
      pkg,
    )
  )
    return 'logging (pino)';
  if (pkg === 'undici') return 'upstream client (undici)';
  if (
    /^(fastify|@fastify\/|find-my-way|avvio|fast-json-stringify|fast-querystring|fastq|reusify|light-my-request|toad-cache|abstract-logging|process-warning|rfdc|fast-decode-uri-component|secure-json-parse|content-type)/.test(
      pkg,
    )
  )
    return 'fastify (routing, hooks, reply)';
  return 'other';
}

/**
 * The region markers esbuild writes into an unminified bundle (`// ../../node_modules/x/y.js`),
 * as sorted [first line (0-based), source] pairs.
 */
export function bundleRegions(bundleText: string): [number, string][] {
  const regions: [number, string][] = [];
  bundleText.split('\n').forEach((line, index) => {
    const marker = /^\/\/ ((?:\.\.\/)*(?:node_modules|packages|services|src)\/\S+)$/.exec(line);
    if (marker) regions.push([index, marker[1]!]);
  });
  return regions;
}

/** The source a 0-based line of the bundle came from: the last region that starts at or before it. */
export function sourceAtLine(regions: readonly [number, string][], line: number): string {
  let low = 0;
  let high = regions.length - 1;
  let found = 'bundle prelude';
  while (low <= high) {
    const mid = (low + high) >> 1;
    const [start, source] = regions[mid]!;
    if (start <= line) {
      found = source;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}
