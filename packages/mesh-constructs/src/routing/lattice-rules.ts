/** A VPC Lattice listener of one service as plain data: the renderer maps versions to target groups. */
import { cookieRouteSubstrings, type ServiceSpec, type VersionRoute } from '@color-teller/topology';

/** Lattice's limits: forward weights, and rule priorities (1 to 100). */
export const LATTICE_MAX_WEIGHT = 999;
export const LATTICE_MAX_RULES = 100;
/**
 * The "Rules per listener" quota's default (VPC Lattice User Guide, Quotas: 5 in each Region,
 * adjustable). A quota, not a limit of the API: an account that raised it says so with the
 * provider's `rulesPerListener` prop, so the default is what synthesis assumes.
 */
export const LATTICE_DEFAULT_RULES_PER_LISTENER = 5;
/** A rule's header match: the header name and value lengths Lattice accepts (`HeaderMatch`). */
export const LATTICE_MAX_HEADER_NAME = 40;
export const LATTICE_MAX_HEADER_VALUE = 128;

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
  /** The account's "Rules per listener" quota. @default LATTICE_DEFAULT_RULES_PER_LISTENER */
  readonly rulesPerListener?: number;
}

/** What a rule's header match holds: a name and the value it compares. */
function headerMatchProblems(at: string, match: LatticeHeaderMatch): string[] {
  const problems: string[] = [];
  const value = 'exact' in match.match ? match.match.exact : match.match.contains;
  if (match.name.length > LATTICE_MAX_HEADER_NAME) {
    problems.push(
      `${at}: route header "${match.name}" is ${match.name.length} characters; a VPC Lattice rule matches header names of up to ${LATTICE_MAX_HEADER_NAME}, use a shorter header`,
    );
  }
  if (value.length > LATTICE_MAX_HEADER_VALUE) {
    problems.push(
      `${at}: route value ${JSON.stringify(value)} of header "${match.name}" is ${value.length} characters; a VPC Lattice rule matches values of up to ${LATTICE_MAX_HEADER_VALUE}, use a shorter value`,
    );
  }
  return problems;
}

/**
 * Whether ECS can shift this service's traffic itself. ECS rewrites one production rule that
 * forwards to exactly the version's two target groups, weights 100 and 0 (ECS Developer Guide,
 * "VPC Lattice resources for blue/green, linear, and canary deployments"): here the listener's
 * default action. A weighted split between versions, or a route to one version, would be a second
 * forward that ECS does not move, so the service must have one version and no routes.
 */
export function latticeShiftsTraffic(service: ServiceSpec): boolean {
  const strategy = service.deployment?.strategy ?? 'rolling';
  return strategy !== 'rolling' && service.versions.length === 1 && !service.routes?.length;
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
  const plan = latticeListenerPlan(service);
  for (const rule of plan.rules) problems.push(...headerMatchProblems(at, rule.headerMatch));
  const quota = role.rulesPerListener ?? LATTICE_DEFAULT_RULES_PER_LISTENER;
  if (plan.rules.length > quota) {
    problems.push(
      `${at}: its routes need ${plan.rules.length} listener rules (a cookie route takes 2); VPC Lattice's "Rules per listener" quota is ${quota}${role.rulesPerListener === undefined ? ' by default' : ''}: remove routes, or raise the quota in the Service Quotas console (VPC Lattice) and pass the new value as rulesPerListener to MeshProvider.vpcLattice()`,
    );
  }
  const strategy = service.deployment?.strategy ?? 'rolling';
  if (strategy !== 'rolling' && role.called && !latticeShiftsTraffic(service)) {
    problems.push(
      `${at}: deployment strategy "${strategy}" on VPC Lattice needs a listener rule that forwards to this version's two target groups only (weights 100 and 0), which ECS rewrites as it shifts; a weighted split between versions or a route to one version is a forward ECS does not move. Keep one version and no routes here, or deploy it rolling`,
    );
  }
  if (strategy !== 'rolling' && !role.called && !role.ingress) {
    problems.push(
      `${at}: deployment strategy "${strategy}" shifts the traffic of a load balancer or a Lattice service, and nothing calls this service; deploy it rolling`,
    );
  }
  if (role.ingress && (service.versions.length > 1 || (service.routes?.length ?? 0) > 0)) {
    problems.push(
      `${at}: the ingress ALB fronts one version directly and does not route by weight or header; keep one version here and put the versions in a service it calls`,
    );
  }
  return problems;
}
