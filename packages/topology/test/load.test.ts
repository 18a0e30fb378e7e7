import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TopologyError, TopologyLoadError } from '../src';
import { loadTopology } from '../src/load';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('loadTopology', () => {
  it('loads and validates the default topology of the repository', async () => {
    const topology = await loadTopology('color-teller.topology.ts', repoRoot);
    expect(topology.ingress.service).toBe('client');
    expect(topology.services.map((s) => s.name)).toEqual(['color', 'client']);
  });

  it('loads the canary example with 80/20 weights and both routes', async () => {
    const topology = await loadTopology('examples/canary.topology.ts', repoRoot);
    const color = topology.services.find((s) => s.name === 'color');
    expect(color?.versions.map((v) => [v.name, v.weight])).toEqual([
      ['red', 80],
      ['blue', 20],
    ]);
    expect(color?.routes).toHaveLength(2);
  });

  it('fails when the file does not exist, in one line naming the path', async () => {
    const error = await loadTopology('missing.topology.ts', fixtures).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopologyLoadError);
    expect((error as Error).message).toMatch(/^Topology file not found: .*missing\.topology\.ts/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('fails when the file has no default export', async () => {
    const error = await loadTopology('no-default.topology.ts', fixtures).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopologyLoadError);
    expect((error as Error).message).toMatch(/no-default\.topology\.ts has no default export/);
  });

  it('fails when the default export is null', async () => {
    const error = await loadTopology('null-default.topology.ts', fixtures).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopologyLoadError);
    expect((error as Error).name).toBe('TopologyLoadError');
    expect((error as Error).message).toMatch(/null-default\.topology\.ts has no default export/);
  });

  it('fails when importing the file throws', async () => {
    const error = await loadTopology('throws.topology.ts', fixtures).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopologyLoadError);
    expect((error as Error).message).toMatch(/could not be imported: boom while building/);
  });

  it('fails when the topology is invalid', async () => {
    const error = await loadTopology('invalid.topology.ts', fixtures).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopologyError);
    expect((error as Error).message).toMatch(/ingress fronts unknown service "nowhere"/);
  });
});
