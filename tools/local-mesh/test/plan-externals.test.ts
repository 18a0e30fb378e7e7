import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Topology } from '@color-teller/topology';
import { EGRESS_CONFIG_ENV } from '../src/egress/config';
import { planMesh, portsNeeded } from '../src/plan';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const topology: Topology = {
  name: 'demo',
  namespace: 'demo.local',
  externals: [
    { name: 'colornames', baseUrl: 'https://api.color.pizza/v1' },
    { name: 'weather', baseUrl: 'https://weather.example/api' },
  ],
  services: [
    {
      name: 'color',
      codePath: 'services/color-backend',
      port: 3000,
      healthPath: '/health',
      backends: [{ service: 'colornames' }],
      versions: [{ name: 'red' }],
    },
    {
      name: 'front',
      codePath: 'services/color-client',
      port: 3000,
      healthPath: '/health',
      backends: [{ service: 'color' }, { service: 'weather' }],
      versions: [{ name: 'v1' }],
    },
  ],
  ingress: { service: 'color' },
};

describe('planMesh with externals', () => {
  const plan = (egressCaFile?: string) => {
    let next = 41000;
    return planMesh(topology, {
      repoRoot,
      ingressPort: 8124,
      nextPort: () => ++next,
      ...(egressCaFile ? { egressCaFile } : {}),
    });
  };

  it('puts an egress forwarder of its own in front of the caller, first, on its own port', () => {
    const [egress, color] = plan();
    expect([egress!.service, egress!.version, egress!.role]).toEqual(['color', 'egress', 'egress']);
    expect(egress!.url).toBe('http://127.0.0.1:41001');
    expect(egress!.healthUrl).toBe('http://127.0.0.1:41001/_health');
    expect(JSON.parse(egress!.env[EGRESS_CONFIG_ENV]!)).toEqual({
      caller: 'color',
      externals: [{ name: 'colornames', baseUrl: 'https://api.color.pizza/v1' }],
      declared: ['colornames', 'weather'],
    });
    expect(egress!.env).not.toHaveProperty('NODE_EXTRA_CA_CERTS');
    expect(color!.role).toBe('service');
  });

  it('gives the caller the forwarder URL of the external in its env var, and no mesh timeouts for it', () => {
    const [, color] = plan();
    expect(color!.env).toEqual({
      COLORNAMES_BACKEND: 'http://127.0.0.1:41001/colornames',
      HOST: '127.0.0.1',
      PORT: '8124',
    });
  });

  it('asks for one more port per service that calls externals, each forwarder its own', () => {
    expect(portsNeeded(topology)).toBe(4);
    const processes = plan();
    expect(processes.map((p) => `${p.service} ${p.version} ${p.port}`)).toEqual([
      'color egress 41001',
      'color red 8124',
      'front egress 41002',
      'front v1 41003',
    ]);
    expect(JSON.parse(processes[2]!.env[EGRESS_CONFIG_ENV]!).externals).toEqual([
      { name: 'weather', baseUrl: 'https://weather.example/api' },
    ]);
    expect(processes[3]!.env.WEATHER_BACKEND).toBe('http://127.0.0.1:41002/weather');
  });

  it('plans no forwarder for a topology without externals', () => {
    const plain: Topology = { ...topology, externals: [], services: [topology.services[0]!] };
    const withoutCalls = {
      ...plain,
      services: [{ ...plain.services[0]!, backends: [] }],
    };
    expect(planMesh(withoutCalls, { repoRoot, ingressPort: 8124, nextPort: () => 1 })).toHaveLength(
      1,
    );
    expect(portsNeeded(withoutCalls)).toBe(1);
  });

  it('trusts the extra certificate authorities in the forwarder only, when given', () => {
    const processes = plan('/tmp/ca.pem');
    const cas = processes.map((p) => `${p.role} ${p.env.NODE_EXTRA_CA_CERTS ?? '-'}`);
    expect(cas).toEqual(['egress /tmp/ca.pem', 'service -', 'egress /tmp/ca.pem', 'service -']);
  });
});
