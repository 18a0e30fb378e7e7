/** A VPC Lattice listener of one service as plain data: the renderer maps versions to target groups. */
import { cookieRouteSubstrings, type ServiceSpec, type VersionRoute } from '@color-teller/topology';

/** Lattice's limits: forward weights and rule priorities. */
export const LATTICE_MAX_WEIGHT = 999;
export const LATTICE_MAX_RULES = 100;

export interface LatticeForward {
  readonly version: string;
  readonly weight: number;
}

/** One header condition, in the shape of `AWS::VpcLattice::Rule`'s `HeaderMatch`. */
export interface LatticeHeaderMatch {
  readonly name: string;
  readonly match: { readonly exact: string } | { readonly contains: string };
  readonly caseSensitive: boolean;
}

export interface LatticeRulePlan {
  /** Lower priorities match first; Lattice counts from 1. */
  readonly priority: number;
  readonly headerMatch: LatticeHeaderMatch;
  readonly forward: LatticeForward;
}

export interface LatticeListenerPlan {
  /** Every version by its weight, in the topology's order. */
  readonly defaultForward: readonly LatticeForward[];
  readonly rules: readonly LatticeRulePlan[];
}

/** A route's header matches, one rule each: exact for headers, "contains" for cookie pairs. */
function headerMatchesOf(route: VersionRoute): LatticeHeaderMatch[] {
  if (route.whenHeader) {
    const { name, equals } = route.whenHeader;
    return [{ name: name.toLowerCase(), match: { exact: equals }, caseSensitive: true }];
  }
  return cookieRouteSubstrings(route.whenCookie!).map((pair) => ({
    name: 'cookie',
    match: { contains: pair },
    caseSensitive: true,
  }));
}

export function latticeListenerPlan(service: ServiceSpec): LatticeListenerPlan {
  const matches = (service.routes ?? []).flatMap((route) =>
    headerMatchesOf(route).map((headerMatch) => ({ route, headerMatch })),
  );
  return {
    defaultForward: service.versions.map((v) => ({ version: v.name, weight: v.weight ?? 1 })),
    rules: matches.map(({ route, headerMatch }, index) => ({
      priority: index + 1,
      headerMatch,
      forward: { version: route.version, weight: 1 },
    })),
  };
}

/** Where the service stands in its topology, as far as Lattice's routing cares. */
export interface LatticeServiceRole {
  /** Some other service calls it, so it gets a Lattice service. */
  readonly called: boolean;
  /** The ALB fronts it. */
  readonly ingress: boolean;
}

/** What of the service's weights, routes and traffic shifting Lattice cannot do. */
export function latticeRoutingProblems(service: ServiceSpec, role: LatticeServiceRole): string[] {
  const problems: string[] = [];
  const at = `service "${service.name}"`;
  for (const version of service.versions) {
    const weight = version.weight ?? 1;
    if (weight > LATTICE_MAX_WEIGHT) {
      problems.push(
        `${at}: version "${version.name}" has weight ${weight}; VPC Lattice takes weights from 0 to ${LATTICE_MAX_WEIGHT}, scale the weights down (e.g. to percentages)`,
      );
    }
  }
  const rules = latticeListenerPlan(service).rules.length;
  if (rules > LATTICE_MAX_RULES) {
    problems.push(
      `${at}: its routes need ${rules} listener rules (a cookie route takes 2); VPC Lattice allows ${LATTICE_MAX_RULES}, remove routes`,
    );
  }
  const strategy = service.deployment?.strategy ?? 'rolling';
  if (strategy !== 'rolling' && (role.called || !role.ingress)) {
    problems.push(
      `${at}: deployment strategy "${strategy}" shifts traffic between two target groups of one listener rule, and this flavor gives each version its own target group in a weighted listener; deploy it rolling and run a canary as a second version with a weight, or use MeshFlavor.serviceConnect()`,
    );
  }
  if (role.ingress && (service.versions.length > 1 || (service.routes?.length ?? 0) > 0)) {
    problems.push(
      `${at}: the ingress ALB fronts one version directly and does not route by weight or header; keep one version here and put the versions in a service it calls`,
    );
  }
  return problems;
}
