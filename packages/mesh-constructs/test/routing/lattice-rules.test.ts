import { describe, expect, it } from 'vitest';
import {
  latticeListenerPlan,
  latticeRoutingProblems,
  latticeShiftsTraffic,
} from '../../src/routing/lattice-rules';
import { colorService, headerRoutes } from './service';

const CALLED = { called: true, ingress: false };

/** A rule forwarding to red when the cookie header contains `pair`. */
const cookieRule = (priority: number, pair: string) => ({
  priority,
  headerMatch: { name: 'cookie', match: { contains: pair }, caseSensitive: true },
  forward: { version: 'red', weight: 1 },
});

describe('latticeListenerPlan', () => {
  it('forwards by default to every version by its own weight, in the topology order, an absent weight counting 1', () => {
    const service = colorService({
      versions: [{ name: 'red', weight: 20 }, { name: 'blue', weight: 80 }, { name: 'green' }],
    });
    expect(latticeListenerPlan(service)).toEqual({
      defaultForward: [
        { version: 'red', weight: 20 },
        { version: 'blue', weight: 80 },
        { version: 'green', weight: 1 },
      ],
      rules: [],
    });
  });

  it('gives a header route one exact, case-sensitive rule and a cookie route one "contains" rule per form, priorities from 1 in order', () => {
    const service = colorService({
      versions: [{ name: 'red' }, { name: 'blue' }],
      routes: [
        { version: 'blue', whenHeader: { name: 'X-Color', equals: 'Blue' } },
        { version: 'red', whenCookie: { name: 'color-version', equals: 'red' } },
      ],
    });
    expect(latticeListenerPlan(service).rules).toEqual([
      {
        priority: 1,
        headerMatch: { name: 'x-color', match: { exact: 'Blue' }, caseSensitive: true },
        forward: { version: 'blue', weight: 1 },
      },
      cookieRule(2, 'color-version=red'),
      cookieRule(3, 'color-version="red"'),
    ]);
  });
});

describe('latticeRoutingProblems', () => {
  const weightProblem = (version: string, weight: number) =>
    `service "color": version "${version}" has weight ${weight}; VPC Lattice takes weights from 0 to 999, scale the weights down (e.g. to percentages)`;
  const rulesProblem = (rules: number, quota = '5 by default') =>
    `service "color": its routes need ${rules} listener rules (a cookie route takes 2); VPC Lattice's "Rules per listener" quota is ${quota}: remove routes, or raise the quota in the Service Quotas console (VPC Lattice) and pass the new value as rulesPerListener to MeshProvider.vpcLattice()`;
  const strategyProblem = (strategy: string) =>
    `service "color": deployment strategy "${strategy}" on VPC Lattice needs a listener rule that forwards to this version's two target groups only (weights 100 and 0), which ECS rewrites as it shifts; a weighted split between versions or a route to one version is a forward ECS does not move. Keep one version and no routes here, or deploy it rolling`;
  const uncalledProblem = (strategy: string) =>
    `service "color": deployment strategy "${strategy}" shifts the traffic of a load balancer or a Lattice service, and nothing calls this service; deploy it rolling`;
  const ingressProblem =
    'service "color": the ingress ALB fronts one version directly and does not route by weight or header; keep one version here and put the versions in a service it calls';

  it('accepts weights up to 999 and names each version above, with its weight', () => {
    const fine = colorService({ versions: [{ name: 'red', weight: 999 }, { name: 'blue' }] });
    expect(latticeRoutingProblems(fine, CALLED)).toEqual([]);
    const heavy = colorService({
      versions: [
        { name: 'red', weight: 1000 },
        { name: 'blue', weight: 5 },
        { name: 'green', weight: 5000 },
      ],
    });
    expect(latticeRoutingProblems(heavy, CALLED)).toEqual([
      weightProblem('red', 1000),
      weightProblem('green', 5000),
    ]);
  });

  it('holds the rules to the quota: 5 by default, the given quota otherwise, a cookie route counting 2', () => {
    const rules = (routes: ReturnType<typeof headerRoutes>, rulesPerListener?: number) =>
      latticeRoutingProblems(colorService({ routes }), { ...CALLED, rulesPerListener });
    const cookie = { version: 'red', whenCookie: { name: 'c', equals: '1' } };
    expect(rules(headerRoutes(5))).toEqual([]);
    expect(rules(headerRoutes(6))).toEqual([rulesProblem(6)]);
    expect(rules([...headerRoutes(3)!, cookie])).toEqual([]);
    expect(rules([...headerRoutes(4)!, cookie])).toEqual([rulesProblem(6)]);
    expect(rules(headerRoutes(100), 100)).toEqual([]);
    expect(rules(headerRoutes(101), 100)).toEqual([rulesProblem(101, '100')]);
  });

  it('accepts a traffic-shifting deployment on a called service of one version without routes', () => {
    const canary = colorService({ deployment: { strategy: 'canary' } });
    expect(latticeRoutingProblems(canary, CALLED)).toEqual([]);
    expect(latticeShiftsTraffic(canary)).toBe(true);
    expect(latticeShiftsTraffic(colorService())).toBe(false);
  });

  it('rejects it on a called service with several versions or routes, and on one nothing calls or fronts', () => {
    const canary = { strategy: 'canary' } as const;
    const twoVersions = colorService({
      versions: [{ name: 'red' }, { name: 'blue' }],
      deployment: canary,
    });
    const routed = colorService({ routes: headerRoutes(1), deployment: canary });
    expect(latticeRoutingProblems(twoVersions, CALLED)).toEqual([strategyProblem('canary')]);
    expect(latticeRoutingProblems(routed, CALLED)).toEqual([strategyProblem('canary')]);
    expect(latticeShiftsTraffic(twoVersions)).toBe(false);
    expect(
      latticeRoutingProblems(colorService({ deployment: canary }), {
        called: false,
        ingress: false,
      }),
    ).toEqual([uncalledProblem('canary')]);
  });

  it('accepts a traffic-shifting deployment on the ingress service nobody calls, and rolling anywhere', () => {
    const linear = colorService({ deployment: { strategy: 'linear' } });
    expect(latticeRoutingProblems(linear, { called: false, ingress: true })).toEqual([]);
    const rolling = colorService({ deployment: { strategy: 'rolling' } });
    expect(latticeRoutingProblems(rolling, CALLED)).toEqual([]);
  });

  it('rejects versions or routes on the ingress service, and accepts them elsewhere', () => {
    const ingress = { called: false, ingress: true };
    const twoVersions = colorService({ versions: [{ name: 'red' }, { name: 'blue' }] });
    const routed = colorService({ routes: headerRoutes(1) });
    expect(latticeRoutingProblems(twoVersions, ingress)).toEqual([ingressProblem]);
    expect(latticeRoutingProblems(routed, ingress)).toEqual([ingressProblem]);
    expect(latticeRoutingProblems(colorService(), ingress)).toEqual([]);
    expect(latticeRoutingProblems(twoVersions, CALLED)).toEqual([]);
  });

  it('lists weights, rules, strategy and ingress problems in that order', () => {
    const service = colorService({
      versions: [{ name: 'red', weight: 1000 }, { name: 'blue' }],
      routes: headerRoutes(6),
      deployment: { strategy: 'canary' },
    });
    expect(latticeRoutingProblems(service, { called: true, ingress: true })).toEqual([
      weightProblem('red', 1000),
      rulesProblem(6),
      strategyProblem('canary'),
      ingressProblem,
    ]);
  });
});
