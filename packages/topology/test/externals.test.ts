import { describe, expect, it } from 'vitest';
import { externalBackends, serviceBackends, validateTopology } from '../src';
import type { ExternalSpec, Topology } from '../src';
import { problemsOf } from './fixtures/problems';
import { validTopology } from './fixtures/valid';

const colornames: ExternalSpec = { name: 'colornames', baseUrl: 'https://api.color.pizza/v1' };

/** The valid topology with `externals` declared and the client calling `called`. */
function withExternals(externals: ExternalSpec[], called: string[] = ['colornames']): Topology {
  const topology = validTopology();
  return {
    ...topology,
    externals,
    services: topology.services.map((service) =>
      service.name === 'client'
        ? {
            ...service,
            backends: [...(service.backends ?? []), ...called.map((n) => ({ service: n }))],
          }
        : service,
    ),
  };
}

describe('externals', () => {
  it('accepts a declared HTTPS external that a service calls', () => {
    expect(() => validateTopology(withExternals([colornames]))).not.toThrow();
  });

  const failing: [string, Topology, RegExp][] = [
    [
      'a backend names an undeclared external',
      withExternals([colornames], ['colornames', 'weather']),
      /service "client": backend "weather" is not a service of the topology: use one of "color", "client", "colornames"/,
    ],
    [
      'no service calls the external',
      withExternals([colornames], []),
      /external "colornames" is called by no service: list it among a service's backends, or remove it/,
    ],
    [
      'the base URL is plain HTTP',
      withExternals([{ ...colornames, baseUrl: 'http://api.color.pizza/v1' }]),
      /external "colornames": baseUrl "http:\/\/api.color.pizza\/v1" is not HTTPS: use https:\/\/api.color.pizza\/v1/,
    ],
    [
      'the base URL is not a URL',
      withExternals([{ ...colornames, baseUrl: 'api.color.pizza' }]),
      /external "colornames": baseUrl "api.color.pizza" is not a URL: use an https:\/\/ URL/,
    ],
    [
      'the base URL carries a query',
      withExternals([{ ...colornames, baseUrl: 'https://api.color.pizza/v1?key=1' }]),
      /external "colornames": baseUrl ".*" holds credentials, a query or a fragment/,
    ],
    [
      'a plain HTTP base URL without a path (the fix adds none)',
      withExternals([{ ...colornames, baseUrl: 'http://api.color.pizza' }]),
      /external "colornames": baseUrl "http:\/\/api.color.pizza" is not HTTPS: use https:\/\/api.color.pizza$/,
    ],
    [
      'the base URL carries a user name only',
      withExternals([{ ...colornames, baseUrl: 'https://me@api.color.pizza/v1' }]),
      /external "colornames": baseUrl ".*" holds credentials, a query or a fragment: keep only the scheme, host and path$/,
    ],
    [
      'the base URL carries a password only',
      withExternals([{ ...colornames, baseUrl: 'https://:secret@api.color.pizza/v1' }]),
      /external "colornames": baseUrl ".*" holds credentials, a query or a fragment/,
    ],
    [
      'the base URL carries a fragment',
      withExternals([{ ...colornames, baseUrl: 'https://api.color.pizza/v1#top' }]),
      /external "colornames": baseUrl ".*" holds credentials, a query or a fragment/,
    ],
    [
      'the external is declared twice',
      withExternals([colornames, colornames]),
      /external "colornames" is declared twice: keep one/,
    ],
    [
      'the external has the name of a service',
      withExternals([{ ...colornames, name: 'color' }], ['color']),
      /external "color" has the name of a service: rename one of them/,
    ],
    [
      'the external name is not a DNS label',
      withExternals([{ ...colornames, name: 'Color_Names' }], ['Color_Names']),
      /external "Color_Names": name is not a DNS label/,
    ],
  ];

  it.each(failing)('reports that %s', (_, topology, message) => {
    expect(problemsOf(topology)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  it('splits a service backends into services and externals', () => {
    const topology = withExternals([colornames]);
    const client = topology.services.find((s) => s.name === 'client')!;
    expect(serviceBackends(topology, client).map((b) => b.service)).toEqual(['color']);
    expect(externalBackends(topology, client)).toEqual([colornames]);
  });
});
