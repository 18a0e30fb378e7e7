import {
  MESH_FLAVORS,
  MeshFlavor,
  MeshValidationError,
  meshFlavorNamed,
  validateForMesh,
  type IMeshFlavor,
  type MeshFlavorDescription,
  type MeshFlavorName,
} from '@color-teller/mesh-constructs';
import type { Topology } from '@color-teller/topology';

/** The flavor used when `-c mesh` is not given: the library lists it first. */
export const DEFAULT_FLAVOR = MESH_FLAVORS[0]!.name;

/** `-c mesh=<a> (the default), -c mesh=<b> or -c mesh=<c>` from the library's list. */
export function flavorChoices(): string {
  const choices = MESH_FLAVORS.map(
    (entry) => `-c mesh=${entry.name}${entry.name === DEFAULT_FLAVOR ? ' (the default)' : ''}`,
  );
  return `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)!}`;
}

/** `-c mesh=...` to its flavor; unknown values fail naming the accepted ones. */
export function flavorEntry(flavor: string | undefined): MeshFlavorDescription<MeshFlavorName> {
  const entry = meshFlavorNamed(flavor ?? DEFAULT_FLAVOR);
  if (!entry) throw new Error(`-c mesh=${flavor} is not a flavor: use ${flavorChoices()}`);
  return entry;
}

/** `-c mesh=...` to the flavor with its defaults. */
export function flavorFor(flavor: string | undefined): IMeshFlavor {
  return MeshFlavor.named(flavorEntry(flavor).name);
}

/** Why `entry` cannot render `topology`: one line per problem, none when it can. */
export function flavorProblems(
  topology: Topology,
  entry: MeshFlavorDescription<MeshFlavorName>,
): readonly string[] {
  try {
    validateForMesh(topology, MeshFlavor.named(entry.name));
    return [];
  } catch (error) {
    if (error instanceof MeshValidationError) return error.problems;
    throw error;
  }
}

/**
 * The library's error with this app's hint on each problem: the `-c mesh=` values of the flavors
 * that can deploy this topology, if any.
 */
export function withCliHint(error: MeshValidationError, topology: Topology): MeshValidationError {
  const able = MESH_FLAVORS.filter(
    (entry) =>
      !entry.retired && entry.name !== error.flavor && flavorProblems(topology, entry).length === 0,
  );
  if (able.length === 0) return error;
  const hint = `; with the CDK app: ${able.map((entry) => `-c mesh=${entry.name}`).join(' or ')}`;
  return new MeshValidationError(
    error.flavor,
    error.problems.map((problem) => `${problem}${hint}`),
  );
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
