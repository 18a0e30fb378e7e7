import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleRegions, layerOfSource, sourceAtLine } from '../src/profile/layers';
import { cpuByLayer } from '../src/profile/summarize';

const bundle = [
  'import x from "node:module";',
  '// ../../node_modules/fastify/lib/reply.js',
  'function send() {}',
  '// ../../node_modules/undici/lib/pool.js',
  'function dispatch() {}',
  '// ../../node_modules/pino/pino.js',
  'function write() {}',
  '// ../../packages/service-kit/src/proxy.ts',
  'function proxy() {}',
].join('\n');

describe('reading a bundle profile by layer', () => {
  it('finds the source of a bundle line from esbuild region comments', () => {
    const regions = bundleRegions(bundle);
    expect(sourceAtLine(regions, 0)).toBe('bundle prelude');
    expect(sourceAtLine(regions, 2)).toBe('../../node_modules/fastify/lib/reply.js');
    expect(sourceAtLine(regions, 4)).toBe('../../node_modules/undici/lib/pool.js');
    expect(sourceAtLine(regions, 8)).toBe('../../packages/service-kit/src/proxy.ts');
  });

  it('puts each source in its layer', () => {
    expect(layerOfSource('node:_http_server')).toMatch(/^Node core/);
    expect(layerOfSource('native writev')).toMatch(/^Node core/);
    expect(layerOfSource('wasm://wasm/00034eea')).toMatch(/undici/);
    expect(layerOfSource('../../node_modules/@fastify/static/index.js')).toMatch(/^fastify/);
    expect(layerOfSource('../../node_modules/sonic-boom/index.js')).toMatch(/pino/);
    expect(layerOfSource('src/app.ts')).toMatch(/^our code/);
    expect(layerOfSource('(garbage collector)')).toBe('garbage collection');
    expect(layerOfSource('../../node_modules/mime/Mime.js')).toBe('other');
  });

  it('sums self time per layer over the last window only, leaving idle out', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'profile-test-'));
    const file = path.join(dir, 'server.js');
    await writeFile(file, bundle);
    const url = pathToFileURL(file).href;
    const frame = (functionName: string, lineNumber: number, at = url) => ({
      functionName,
      url: at,
      lineNumber,
    });
    const totals = await cpuByLayer(
      {
        nodes: [
          { id: 1, callFrame: frame('(idle)', -1, '') },
          { id: 2, callFrame: frame('send', 2) },
          { id: 3, callFrame: frame('dispatch', 4) },
          { id: 4, callFrame: frame('proxy', 8) },
          { id: 5, callFrame: frame('writev', -1, '') },
          { id: 6, callFrame: frame('(garbage collector)', -1, '') },
        ],
        startTime: 0,
        endTime: 1100,
        samples: [2, 3, 1, 4, 5, 2, 6],
        // The first sample (at 100) falls before the window of the last 900 µs.
        timeDeltas: [100, 200, 300, 100, 100, 200, 100],
      },
      900,
    );
    expect(totals['fastify (routing, hooks, reply)']).toBe(200);
    expect(totals['upstream client (undici)']).toBe(200);
    expect(totals['our code (service-kit, color-client)']).toBe(100);
    expect(totals['Node core: HTTP parsing, sockets, streams']).toBe(100);
    expect(totals['garbage collection']).toBe(100);
  });
});
