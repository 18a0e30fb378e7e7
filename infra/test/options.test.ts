import { describe, expect, it } from 'vitest';
import { booleanContext, providerFor } from '../lib/options';

describe('providerFor (-c mesh=...)', () => {
  it('defaults to Service Connect and knows vpc-lattice and appmesh', () => {
    expect(providerFor(undefined).flavor).toBe('service-connect');
    expect(providerFor('service-connect').flavor).toBe('service-connect');
    expect(providerFor('vpc-lattice').flavor).toBe('vpc-lattice');
    expect(providerFor('appmesh').flavor).toBe('appmesh');
  });

  it('fails when the flavor is unknown, naming the accepted ones', () => {
    expect(() => providerFor('istio')).toThrow(
      '-c mesh=istio is not a flavor: use -c mesh=service-connect (the default), -c mesh=vpc-lattice or -c mesh=appmesh',
    );
  });
});

describe('booleanContext', () => {
  it('reads CLI strings and JSON booleans', () => {
    expect(booleanContext(undefined, 'x')).toBeUndefined();
    expect(booleanContext('true', 'x')).toBe(true);
    expect(booleanContext(false, 'x')).toBe(false);
  });

  it('fails when the value is not a boolean', () => {
    expect(() => booleanContext('yes', 'deletionProtection')).toThrow(
      '-c deletionProtection=yes is not a boolean: use true or false',
    );
  });
});
