import type { ServiceSpec } from '@color-teller/topology';

/** A service of the color kind, its fields overridden by the test. */
export function colorService(overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name: 'color',
    codePath: 'services/color-backend',
    port: 8080,
    healthPath: '/health',
    versions: [{ name: 'red' }],
    ...overrides,
  };
}

/** `count` header routes to version red, each on its own header. */
export function headerRoutes(count: number): ServiceSpec['routes'] {
  return Array.from({ length: count }, (_, i) => ({
    version: 'red',
    whenHeader: { name: `x-${i}`, equals: 'yes' },
  }));
}
