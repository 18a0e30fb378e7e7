import { describe, expect, it } from 'vitest';
import {
  backendEnvVar,
  backendsFirst,
  defineTopology,
  findService,
  ingressService,
  needsRouting,
  versionEnv,
  weightPercentages,
} from '../src';
import { validTopology } from './fixtures/valid';

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
