import { MeshProvider } from '@color-teller/mesh-constructs';

export const MESH_FLAVORS = ['service-connect', 'appmesh'] as const;
export type MeshFlavorName = (typeof MESH_FLAVORS)[number];

/** `-c mesh=...` to a provider; unknown values fail naming the accepted ones. */
export function providerFor(flavor: string | undefined): MeshProvider {
  switch (flavor ?? 'service-connect') {
    case 'service-connect':
      return MeshProvider.serviceConnect();
    case 'appmesh':
      return MeshProvider.appMesh();
    default:
      throw new Error(
        `-c mesh=${flavor} is not a flavor: use -c mesh=service-connect (the default) or -c mesh=appmesh`,
      );
  }
}

/** `-c deletionProtection=true`: context values arrive as strings from the CLI. */
export function booleanContext(value: unknown, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`-c ${name}=${String(value)} is not a boolean: use true or false`);
}

/** `-c natGateways=0|1|2`: context values arrive as strings from the CLI. */
export function natGatewaysContext(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const count = Number(value);
  if (String(value).trim() === '' || !Number.isInteger(count) || count < 0 || count > 2) {
    throw new Error(
      `-c natGateways=${String(value)} is not 0, 1 or 2: use 1 (the default), 2 (one a zone) or 0 (no NAT gateway, tasks get public IPs)`,
    );
  }
  return count;
}

/** The ingress's own name and the public hosted zone that holds it, read without a lookup. */
export interface DomainOptions {
  readonly domainName: string;
  readonly hostedZoneId: string;
  readonly hostedZoneName: string;
}

/**
 * `-c domainName=colors.example.com -c hostedZoneId=Z… [-c hostedZoneName=example.com]`; the zone
 * name defaults to the domain without its first label. Needs `-c certificateArn`.
 */
export function domainContext(context: (key: string) => unknown): DomainOptions | undefined {
  const read = (key: string) => context(key) as string | undefined;
  const domainName = read('domainName');
  const hostedZoneId = read('hostedZoneId');
  if (domainName === undefined) {
    if (hostedZoneId !== undefined || read('hostedZoneName') !== undefined) {
      throw new Error('-c hostedZoneId/hostedZoneName need -c domainName=<the name to serve>');
    }
    return undefined;
  }
  if (hostedZoneId === undefined) {
    throw new Error(
      `-c domainName=${domainName} needs -c hostedZoneId=<the public hosted zone that holds it>`,
    );
  }
  if (context('certificateArn') === undefined) {
    throw new Error(
      `-c domainName=${domainName} needs -c certificateArn=<an ACM certificate for ${domainName}>`,
    );
  }
  const hostedZoneName = read('hostedZoneName') ?? domainName.split('.').slice(1).join('.');
  if (domainName !== hostedZoneName && !domainName.endsWith(`.${hostedZoneName}`)) {
    throw new Error(
      `-c domainName=${domainName} is not in -c hostedZoneName=${hostedZoneName}: give the zone that holds the name`,
    );
  }
  return { domainName, hostedZoneId, hostedZoneName };
}
