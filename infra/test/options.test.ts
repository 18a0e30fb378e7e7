import { describe, expect, it } from 'vitest';
import { MeshValidationError } from '@color-teller/mesh-constructs';
import canaryTopology from '../../examples/canary.topology';
import {
  booleanContext,
  flavorEntry,
  flavorProblems,
  providerFor,
  withCliHint,
} from '../lib/options';

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

describe('withCliHint (the app owns the CLI hints)', () => {
  it('adds -c mesh= for each live flavor that renders the topology, never the retired one', () => {
    const error = new MeshValidationError('service-connect', ['service "color" has 2 versions']);
    expect(withCliHint(error, canaryTopology).problems).toEqual([
      'service "color" has 2 versions; with the CDK app: -c mesh=vpc-lattice',
    ]);
    expect(flavorProblems(canaryTopology, flavorEntry('appmesh'))).toEqual([]);
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
