import { describe, expect, it } from 'vitest';
import {
  backendEnvVar,
  backendsFirst,
  defineTopology,
  findBackendCycle,
  findService,
  ingressService,
  needsRouting,
  versionEnv,
  weightPercentages,
} from '../src';
import type { ServiceSpec, Topology } from '../src';
import { validTopology } from './fixtures/valid';

/** A topology of bare services, each calling the named backends. */
function calling(calls: Record<string, string[]>): Topology {
  const services = Object.entries(calls).map(([name, backends]): ServiceSpec => ({
    name,
    codePath: `services/${name}`,
    port: 3000,
    healthPath: '/health',
    versions: [{ name: 'v1' }],
    backends: backends.map((service) => ({ service })),
  }));
  return { name: 'graph', namespace: 'graph.local', services, ingress: { service: 'a' } };
}

describe('topology helpers', () => {
  it('names a backend env var after the service unless given', () => {
    expect(backendEnvVar({ service: 'color' })).toBe('COLOR_BACKEND');
    expect(backendEnvVar({ service: 'color-store' })).toBe('COLOR_STORE_BACKEND');
    expect(backendEnvVar({ service: 'color', envVar: 'COLORS_URL' })).toBe('COLORS_URL');
  });

  it('builds a version env: service env, version env over it, backend URLs from the callback', () => {
    const service = {
      ...findService(validTopology(), 'client'),
      env: { VERSION: 'vanilla', MODE: 'a' },
    };
    const env = versionEnv(
      service,
      { name: 'v2', env: { MODE: 'b' } },
      (name) => `http://${name}.test:3000`,
    );
    expect(env).toEqual({ VERSION: 'vanilla', MODE: 'b', COLOR_BACKEND: 'http://color.test:3000' });
  });

  it('builds a version env for a service that calls no backend', () => {
    const service = findService(validTopology(), 'color');
    expect(versionEnv(service, service.versions[1]!, () => 'unused')).toEqual({ COLOR: 'blue' });
  });

  it('gives weights as percentages', () => {
    expect(weightPercentages(findService(validTopology(), 'color'))).toEqual({ red: 80, blue: 20 });
    expect(weightPercentages(findService(validTopology(), 'client'))).toEqual({ vanilla: 100 });
  });

  it('needs routing for several versions or any route, not for one plain version', () => {
    expect(needsRouting(findService(validTopology(), 'color'))).toBe(true);
    expect(needsRouting(findService(validTopology(), 'client'))).toBe(false);
    const oneVersionWithRoute = {
      ...findService(validTopology(), 'client'),
      routes: [{ version: 'vanilla', whenHeader: { name: 'x-v', equals: '1' } }],
    };
    expect(needsRouting(oneVersionWithRoute)).toBe(true);
  });

  it('orders services so that backends come before their callers', () => {
    const topology = validTopology();
    const reversed = { ...topology, services: [...topology.services].reverse() };
    expect(backendsFirst(reversed).map((s) => s.name)).toEqual(['color', 'client']);
  });

  it('gives 0% to every version when all weights are 0, not NaN', () => {
    const service = findService(validTopology(), 'color');
    const unweighted = { ...service, versions: service.versions.map((v) => ({ ...v, weight: 0 })) };
    expect(weightPercentages(unweighted)).toEqual({ red: 0, blue: 0 });
  });

  it('needs routing for several versions without any route', () => {
    const twoVersions = { ...findService(validTopology(), 'color'), routes: undefined };
    expect(needsRouting(twoVersions)).toBe(true);
  });

  it('finds a cycle as the services walked from where it closes', () => {
    expect(findBackendCycle(calling({ a: ['b'], b: ['c'], c: ['b'] }))).toEqual(['b', 'c', 'b']);
  });

  it('finds a cycle behind a backend that is not in one', () => {
    expect(findBackendCycle(calling({ a: ['x', 'b'], x: [], b: ['a'] }))).toEqual(['a', 'b', 'a']);
  });

  it('finds a cycle that the first service does not reach', () => {
    expect(findBackendCycle(calling({ solo: [], a: ['b'], b: ['a'] }))).toEqual(['a', 'b', 'a']);
  });

  it('finds no cycle when calls flow one way, ignoring unknown backends', () => {
    expect(findBackendCycle(calling({ a: ['b', 'nope'], b: ['c'], c: [] }))).toBeUndefined();
  });

  it('orders backends first, ignoring backends that are not services', () => {
    const order = backendsFirst(calling({ a: ['b', 'nope'], b: ['c'], c: [] }));
    expect(order.map((s) => s.name)).toEqual(['c', 'b', 'a']);
  });

  it('finds the ingress service, and fails naming known services for an unknown name', () => {
    expect(ingressService(validTopology()).name).toBe('client');
    expect(() => findService(validTopology(), 'web')).toThrow(
      'Topology "demo" has no service "web" (known: color, client)',
    );
  });

  it('defineTopology returns its argument', () => {
    const topology = validTopology();
    expect(defineTopology(topology)).toBe(topology);
  });
});
