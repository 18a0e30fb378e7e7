import { describe, expect, it } from 'vitest';
import { MeshValidationError } from '@color-teller/mesh-constructs';
import canaryTopology from '../../examples/canary.topology';
import {
  booleanContext,
  domainContext,
  flavorEntry,
  flavorProblems,
  natGatewaysContext,
  flavorFor,
  withCliHint,
} from '../lib/options';

describe('flavorFor (-c mesh=...)', () => {
  it('defaults to Service Connect and knows vpc-lattice and appmesh', () => {
    expect(flavorFor(undefined).name).toBe('service-connect');
    expect(flavorFor('service-connect').name).toBe('service-connect');
    expect(flavorFor('vpc-lattice').name).toBe('vpc-lattice');
    expect(flavorFor('appmesh').name).toBe('appmesh');
  });

  it('fails when the flavor is unknown, naming the accepted ones', () => {
    expect(() => flavorFor('istio')).toThrow(
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

describe('natGatewaysContext (-c natGateways=...)', () => {
  it('reads 0, 1 and 2 from CLI strings', () => {
    expect(natGatewaysContext(undefined)).toBeUndefined();
    expect(natGatewaysContext('0')).toBe(0);
    expect(natGatewaysContext('2')).toBe(2);
  });

  it('fails when the count is not 0, 1 or 2, saying what each means', () => {
    for (const value of ['3', 'one', '', '1.5']) {
      expect(() => natGatewaysContext(value)).toThrow(
        `-c natGateways=${value} is not 0, 1 or 2: use 1 (the default), 2 (one a zone) or 0 (no NAT gateway, tasks get public IPs)`,
      );
    }
  });
});

describe('domainContext (-c domainName=... -c hostedZoneId=...)', () => {
  const CERTIFICATE = 'arn:aws:acm:eu-west-1:111122223333:certificate/x';
  const contextOf = (values: Record<string, string>) => (key: string) => values[key];

  it('is absent without a domain, and takes the zone name from the domain by default', () => {
    expect(domainContext(contextOf({}))).toBeUndefined();
    expect(
      domainContext(
        contextOf({
          domainName: 'colors.example.com',
          hostedZoneId: 'Z1',
          certificateArn: CERTIFICATE,
        }),
      ),
    ).toEqual({
      domainName: 'colors.example.com',
      hostedZoneId: 'Z1',
      hostedZoneName: 'example.com',
    });
  });

  it('fails when the zone, the certificate or the domain is missing, or the zone does not hold the name', () => {
    expect(() =>
      domainContext(contextOf({ domainName: 'colors.example.com', certificateArn: CERTIFICATE })),
    ).toThrow('-c domainName=colors.example.com needs -c hostedZoneId=');
    expect(() =>
      domainContext(contextOf({ domainName: 'colors.example.com', hostedZoneId: 'Z1' })),
    ).toThrow('-c domainName=colors.example.com needs -c certificateArn=');
    expect(() => domainContext(contextOf({ hostedZoneId: 'Z1' }))).toThrow(
      '-c hostedZoneId/hostedZoneName need -c domainName=',
    );
    expect(() =>
      domainContext(
        contextOf({
          domainName: 'colors.example.com',
          hostedZoneId: 'Z1',
          hostedZoneName: 'example.org',
          certificateArn: CERTIFICATE,
        }),
      ),
    ).toThrow('-c domainName=colors.example.com is not in -c hostedZoneName=example.org');
  });
});
