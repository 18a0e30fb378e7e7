import { describe, expect, it } from 'vitest';
import { TopologyError, validateTopology } from '../src';
import type { Topology } from '../src';
import { problemsOf } from './fixtures/problems';
import { validTopology, withService } from './fixtures/valid';

const color = (change: Parameters<typeof withService>[1]) => withService('color', change);
const client = (change: Parameters<typeof withService>[1]) => withService('client', change);

// Each case breaks one rule of a valid topology and names the message that must say so.
const failing: [string, Topology, RegExp][] = [
  [
    'the topology name is not a DNS label',
    { ...validTopology(), name: 'Color_Teller' },
    /topology name "Color_Teller" is not a DNS label/,
  ],
  [
    'the namespace is not a DNS name',
    { ...validTopology(), namespace: 'local' },
    /namespace "local" is not a private DNS name/,
  ],
  ['there are no services', { ...validTopology(), services: [] }, /has no services/],
  [
    'the ingress fronts an unknown service',
    { ...validTopology(), ingress: { service: 'web' } },
    /ingress fronts unknown service "web": set ingress.service to one of "color", "client"/,
  ],
  [
    'the ingress port is out of range',
    { ...validTopology(), ingress: { service: 'client', port: 70000 } },
    /ingress port 70000 is out of range/,
  ],
  [
    'two services share a name',
    { ...validTopology(), services: [...validTopology().services, validTopology().services[0]!] },
    /service "color" is defined twice/,
  ],
  [
    'a service name is not a DNS label',
    color((s) => ({ ...s, name: 'Color' })),
    /service "Color": name is not a DNS label/,
  ],
  [
    'a codePath leaves the repository',
    color((s) => ({ ...s, codePath: '../elsewhere' })),
    /service "color": codePath "..\/elsewhere" must be a folder inside the repository/,
  ],
  [
    'a port is zero',
    color((s) => ({ ...s, port: 0 })),
    /service "color": port 0 is out of range: use an integer from 1 to 65535/,
  ],
  [
    'a port is above 65535',
    color((s) => ({ ...s, port: 65536 })),
    /service "color": port 65536 is out of range/,
  ],
  [
    'a health path is relative',
    color((s) => ({ ...s, healthPath: 'health' })),
    /service "color": healthPath "health" must start with '\/'/,
  ],
  [
    'an env var name is invalid',
    client((s) => ({ ...s, env: { 'BAD-NAME': 'x' } })),
    /service "client": env name "BAD-NAME" is not a valid env var name/,
  ],
  [
    'env sets PORT',
    client((s) => ({ ...s, env: { PORT: '80' } })),
    /service "client": env sets PORT, which the runner sets: remove it/,
  ],
  [
    'a backend is unknown',
    client((s) => ({ ...s, backends: [{ service: 'colour' }] })),
    /service "client": backend "colour" is not a service of the topology: use one of "color", "client"$/,
  ],
  [
    'a service calls itself',
    client((s) => ({ ...s, backends: [{ service: 'client' }] })),
    /service "client": calls itself as a backend/,
  ],
  [
    'a backend is listed twice',
    client((s) => ({ ...s, backends: [{ service: 'color' }, { service: 'color', envVar: 'X' }] })),
    /service "client": backend "color" is listed twice/,
  ],
  [
    'two backends share an env var',
    {
      ...validTopology(),
      services: [
        ...validTopology().services.map((s) =>
          s.name === 'client'
            ? {
                ...s,
                backends: [{ service: 'color' }, { service: 'extra', envVar: 'COLOR_BACKEND' }],
              }
            : s,
        ),
        { ...validTopology().services[0]!, name: 'extra', routes: [] },
      ],
    },
    /service "client": two backends use env var COLOR_BACKEND: give one of them another envVar/,
  ],
  [
    'a backend env var name is invalid',
    client((s) => ({ ...s, backends: [{ service: 'color', envVar: 'color-url' }] })),
    /service "client": backend env var "color-url" is not a valid env var name/,
  ],
  [
    'a service has no versions',
    client((s) => ({ ...s, versions: [] })),
    /service "client": has no versions/,
  ],
  [
    'a version name is not a DNS label',
    client((s) => ({ ...s, versions: [{ name: 'V1' }] })),
    /service "client": version name "V1" is not a DNS label/,
  ],
  [
    'two versions share a name',
    color((s) => ({ ...s, versions: [s.versions[0]!, s.versions[0]!] })),
    /service "color": version "red" is defined twice/,
  ],
  [
    'a weight is missing with several versions',
    color((s) => ({ ...s, versions: [{ name: 'red' }, { name: 'blue', weight: 20 }] })),
    /service "color": version "red" has no weight: with several versions give each a positive integer weight/,
  ],
  [
    'a weight is zero',
    color((s) => ({
      ...s,
      versions: [
        { name: 'red', weight: 0 },
        { name: 'blue', weight: 20 },
      ],
    })),
    /service "color": version "red" has weight 0: use a positive integer/,
  ],
  [
    'a weight is fractional',
    color((s) => ({
      ...s,
      versions: [
        { name: 'red', weight: 0.8 },
        { name: 'blue', weight: 20 },
      ],
    })),
    /service "color": version "red" has weight 0.8: use a positive integer/,
  ],
  [
    'a version env var name is invalid',
    color((s) => ({ ...s, versions: [{ name: 'red', weight: 1, env: { '1X': 'y' } }] })),
    /service "color": version "red" env name "1X" is not a valid env var name/,
  ],
  [
    'a route goes to an unknown version',
    color((s) => ({
      ...s,
      routes: [{ version: 'green', whenHeader: { name: 'x-v', equals: 'g' } }],
    })),
    /service "color": route 1 goes to unknown version "green": use one of "red", "blue"/,
  ],
  [
    'a route has neither header nor cookie',
    color((s) => ({ ...s, routes: [{ version: 'blue' }] })),
    /service "color": route 1 must have exactly one of whenHeader or whenCookie/,
  ],
  [
    'a route has both header and cookie',
    color((s) => ({
      ...s,
      routes: [
        {
          version: 'blue',
          whenHeader: { name: 'x-v', equals: 'b' },
          whenCookie: { name: 'v', equals: 'b' },
        },
      ],
    })),
    /service "color": route 1 must have exactly one of whenHeader or whenCookie/,
  ],
  [
    'a header name is invalid',
    color((s) => ({
      ...s,
      routes: [{ version: 'blue', whenHeader: { name: 'x v', equals: 'b' } }],
    })),
    /service "color": route 1: header name "x v" is not a valid header name/,
  ],
  [
    'a header value is empty',
    color((s) => ({
      ...s,
      routes: [{ version: 'blue', whenHeader: { name: 'x-v', equals: '' } }],
    })),
    /service "color": route 1: header "x-v" needs a non-empty value/,
  ],
  [
    'a cookie name is invalid',
    color((s) => ({
      ...s,
      routes: [{ version: 'blue', whenCookie: { name: 'a=b', equals: 'b' } }],
    })),
    /service "color": route 1: cookie name "a=b" is not a valid cookie name/,
  ],
  [
    'a cookie value holds a semicolon',
    color((s) => ({
      ...s,
      routes: [{ version: 'blue', whenCookie: { name: 'v', equals: 'a;b' } }],
    })),
    /service "color": route 1: cookie value "a;b" is empty or holds/,
  ],
  [
    'services call each other in a cycle',
    color((s) => ({ ...s, backends: [{ service: 'client' }] })),
    /services call each other in a cycle \(color → client → color\)/,
  ],
  [
    'a timeout is not positive',
    color((s) => ({ ...s, timeouts: { connectMs: -1 } })),
    /service "color": timeouts.connectMs -1 must be a positive integer of milliseconds/,
  ],
  [
    'scaling has no tasks',
    color((s) => ({ ...s, scaling: { minTasks: 0, maxTasks: 2 } })),
    /service "color": scaling.minTasks 0 must be an integer of at least 1/,
  ],
  [
    'scaling max is below min',
    color((s) => ({ ...s, scaling: { minTasks: 3, maxTasks: 2 } })),
    /service "color": scaling.maxTasks 2 must be an integer not below minTasks \(3\)/,
  ],
  [
    'scaling CPU target is above 100',
    color((s) => ({ ...s, scaling: { minTasks: 1, maxTasks: 2, targetCpuPercent: 120 } })),
    /service "color": scaling.targetCpuPercent 120 must be between 1 and 100/,
  ],
  [
    'scaling requests per target is not positive',
    color((s) => ({ ...s, scaling: { minTasks: 1, maxTasks: 2, requestsPerTarget: 0 } })),
    /service "color": scaling.requestsPerTarget 0 must be a positive integer/,
  ],
  [
    'a deployment strategy is unknown',
    color((s) => ({ ...s, deployment: { strategy: 'big-bang' as 'canary' } })),
    /service "color": deployment.strategy "big-bang" is unknown: use one of rolling, canary/,
  ],
  [
    'a deployment bake time is negative',
    color((s) => ({ ...s, deployment: { strategy: 'canary', bakeMinutes: -5 } })),
    /service "color": deployment.bakeMinutes -5 must be a whole number of minutes/,
  ],
  [
    'a deployment step is 100 percent',
    color((s) => ({ ...s, deployment: { strategy: 'linear', stepPercent: 100 } })),
    /service "color": deployment.stepPercent 100 must be an integer from 1 to 99/,
  ],
  [
    'a task size is not positive',
    color((s) => ({ ...s, size: { cpu: 0, memoryLimitMiB: 512 } })),
    /service "color": size.cpu 0 must be a positive integer/,
  ],
  [
    'the topology has no name',
    { ...validTopology(), name: undefined as unknown as string },
    /topology name "undefined" is not a DNS label/,
  ],
  [
    'a namespace label is not a DNS label',
    { ...validTopology(), namespace: 'demo.Local' },
    /namespace "demo.Local" is not a private DNS name/,
  ],
  [
    'the services list is missing',
    { ...validTopology(), services: undefined as unknown as Topology['services'] },
    /has no services/,
  ],
  [
    'a service name ends in a character a DNS label may not hold',
    color((s) => ({ ...s, name: 'color!' })),
    /service "color!": name is not a DNS label/,
  ],
  [
    'a codePath is absolute',
    color((s) => ({ ...s, codePath: '/srv/color' })),
    /service "color": codePath "\/srv\/color" must be a folder inside the repository/,
  ],
  [
    'a codePath is missing',
    color((s) => ({ ...s, codePath: '' })),
    /service "color": codePath "" must be a folder inside the repository/,
  ],
  [
    'a health path is missing',
    color((s) => ({ ...s, healthPath: undefined as unknown as string })),
    /service "color": healthPath "undefined" must start with '\/'/,
  ],
  [
    'a port is fractional',
    color((s) => ({ ...s, port: 3000.5 })),
    /service "color": port 3000.5 is out of range/,
  ],
  [
    'env sets HOST',
    color((s) => ({ ...s, env: { HOST: '0.0.0.0' } })),
    /service "color": env sets HOST, which the runner sets/,
  ],
  [
    'an env value is not a string',
    color((s) => ({ ...s, env: { RETRIES: 3 as unknown as string } })),
    /service "color": env RETRIES must be a string: quote the value/,
  ],
  [
    'a route goes to a version of a service that has none',
    color((s) => ({
      ...s,
      versions: [],
      routes: [{ version: 'blue', whenHeader: { name: 'x-v', equals: 'blue' } }],
    })),
    /route 1 goes to unknown version "blue": use one of \(none defined\)/,
  ],
  [
    'a timeout is fractional',
    color((s) => ({ ...s, timeouts: { perRequestMs: 1.5 } })),
    /service "color": timeouts.perRequestMs 1.5 must be a positive integer/,
  ],
  [
    'scaling CPU target is zero',
    color((s) => ({ ...s, scaling: { minTasks: 1, maxTasks: 2, targetCpuPercent: 0 } })),
    /service "color": scaling.targetCpuPercent 0 must be between 1 and 100/,
  ],
  [
    'scaling requests per target is fractional',
    color((s) => ({ ...s, scaling: { minTasks: 1, maxTasks: 2, requestsPerTarget: 2.5 } })),
    /service "color": scaling.requestsPerTarget 2.5 must be a positive integer/,
  ],
  [
    'a deployment bake time is fractional',
    color((s) => ({ ...s, deployment: { strategy: 'canary', bakeMinutes: 0.5 } })),
    /service "color": deployment.bakeMinutes 0.5 must be a whole number/,
  ],
  [
    'a deployment step is 0 percent',
    color((s) => ({ ...s, deployment: { strategy: 'linear', stepPercent: 0 } })),
    /service "color": deployment.stepPercent 0 must be an integer from 1 to 99/,
  ],
  [
    'a deployment step is fractional',
    color((s) => ({ ...s, deployment: { strategy: 'linear', stepPercent: 10.5 } })),
    /service "color": deployment.stepPercent 10.5 must be an integer from 1 to 99/,
  ],
  [
    'a task size is fractional',
    color((s) => ({ ...s, size: { cpu: 256, memoryLimitMiB: 511.5 } })),
    /service "color": size.memoryLimitMiB 511.5 must be a positive integer/,
  ],
];

const faultOnBlue = (faults: object) =>
  color((s) => ({
    ...s,
    versions: s.versions.map((v) => (v.name === 'blue' ? { ...v, faults } : v)),
  }));

// The traffic policy: retries, outlier detection, faults.
failing.push(
  [
    'retries have no attempts',
    color((s) => ({ ...s, retries: { attempts: 0 } })),
    /service "color": retries.attempts 0 must be an integer from 1 to 10 \(remove "retries" to retry nothing\)/,
  ],
  [
    'retries have too many attempts',
    color((s) => ({ ...s, retries: { attempts: 11 } })),
    /service "color": retries.attempts 11 must be an integer from 1 to 10/,
  ],
  [
    'a try may outlast the whole deadline',
    color((s) => ({
      ...s,
      timeouts: { perRequestMs: 1000 },
      retries: { attempts: 2, perTryTimeoutMs: 1500 },
    })),
    /service "color": retries.perTryTimeoutMs 1500 is longer than the whole call's deadline \(timeouts.perRequestMs 1000\): lower it, or raise timeouts.perRequestMs/,
  ],
  [
    'a try may outlast the default deadline',
    color((s) => ({ ...s, retries: { attempts: 2, perTryTimeoutMs: 5001 } })),
    /retries.perTryTimeoutMs 5001 is longer than the whole call's deadline \(timeouts.perRequestMs 5000\)/,
  ],
  [
    'a per-try timeout is fractional',
    color((s) => ({ ...s, retries: { attempts: 2, perTryTimeoutMs: 2.5 } })),
    /service "color": retries.perTryTimeoutMs 2.5 must be a positive integer of milliseconds/,
  ],
  [
    'retries.on is empty',
    color((s) => ({ ...s, retries: { attempts: 2, on: [] } })),
    /service "color": retries.on must list at least one of 5xx, gateway-error, reset, connect-failure/,
  ],
  [
    'retries.on has an unknown condition',
    color((s) => ({ ...s, retries: { attempts: 2, on: ['timeout' as '5xx'] } })),
    /service "color": retries.on has unknown condition "timeout": use one of 5xx, gateway-error, reset, connect-failure/,
  ],
  [
    'retries.on repeats a condition',
    color((s) => ({ ...s, retries: { attempts: 2, on: ['reset', 'reset'] } })),
    /service "color": retries.on lists "reset" twice: keep one/,
  ],
  [
    'retries.nonIdempotent is not a boolean',
    color((s) => ({ ...s, retries: { attempts: 2, nonIdempotent: 'yes' as unknown as boolean } })),
    /service "color": retries.nonIdempotent must be true or false/,
  ],
  [
    'outlier detection ejects after no failure',
    color((s) => ({ ...s, outlierDetection: { consecutive5xx: 0, ejectMs: 1000 } })),
    /service "color": outlierDetection.consecutive5xx 0 must be an integer of at least 1/,
  ],
  [
    'outlier detection ejects for no time',
    color((s) => ({ ...s, outlierDetection: { consecutive5xx: 3, ejectMs: -1 } })),
    /service "color": outlierDetection.ejectMs -1 must be a positive integer of milliseconds/,
  ],
  [
    'outlier detection may eject more than every version',
    color((s) => ({
      ...s,
      outlierDetection: { consecutive5xx: 3, ejectMs: 1000, maxEjectionPercent: 150 },
    })),
    /service "color": outlierDetection.maxEjectionPercent 150 must be an integer from 1 to 100/,
  ],
  [
    'faults hold neither abort nor delay',
    faultOnBlue({}),
    /service "color": version "blue": faults has neither abort nor delay: add one, or remove "faults"/,
  ],
  [
    'an abort fault hits no call',
    faultOnBlue({ abort: { percent: 0, status: 503 } }),
    /service "color": version "blue": faults.abort.percent 0 must be a number above 0 and at most 100/,
  ],
  [
    'an abort fault answers a success',
    faultOnBlue({ abort: { percent: 50, status: 200 } }),
    /service "color": version "blue": faults.abort.status 200 must be an error status from 400 to 599, e.g. 503/,
  ],
  [
    'a delay fault hits more than every call',
    faultOnBlue({ delay: { percent: 101, ms: 100 } }),
    /service "color": version "blue": faults.delay.percent 101 must be a number above 0 and at most 100/,
  ],
  [
    'a delay fault holds no time',
    faultOnBlue({ delay: { percent: 10, ms: 0 } }),
    /service "color": version "blue": faults.delay.ms 0 must be a positive integer of milliseconds/,
  ],
);

// Each case sets optional fields, or values at the edge of their range, that must pass.
const passing: [string, Topology][] = [
  ['ports at both ends of the range', color((s) => ({ ...s, port: 1 }))],
  ['the highest port', client((s) => ({ ...s, port: 65535 }))],
  ['an ingress port', { ...validTopology(), ingress: { service: 'client', port: 65535 } }],
  ['one-character version names', color((s) => ({ ...s, versions: [{ name: 'a' }], routes: [] }))],
  [
    'weights of 1',
    color((s) => ({
      ...s,
      versions: [
        { name: 'red', weight: 1 },
        { name: 'blue', weight: 1 },
      ],
    })),
  ],
  [
    'a timeout left undefined',
    color((s) => ({ ...s, timeouts: { perRequestMs: undefined, idleMs: 1000 } })),
  ],
  ['timeouts of 1 ms', color((s) => ({ ...s, timeouts: { perRequestMs: 1, idleMs: 30_000 } }))],
  [
    'scaling at its edges',
    color((s) => ({
      ...s,
      scaling: { minTasks: 1, maxTasks: 1, targetCpuPercent: 100, requestsPerTarget: 1 },
    })),
  ],
  [
    'a fractional CPU target',
    color((s) => ({ ...s, scaling: { minTasks: 2, maxTasks: 4, targetCpuPercent: 0.5 } })),
  ],
  [
    'a full traffic policy',
    color((s) => ({
      ...s,
      timeouts: { perRequestMs: 2000 },
      retries: { attempts: 10, perTryTimeoutMs: 2000, on: ['5xx', 'reset'], nonIdempotent: true },
      outlierDetection: { consecutive5xx: 1, ejectMs: 1, maxEjectionPercent: 100 },
      versions: s.versions.map((v) => ({
        ...v,
        faults: { abort: { percent: 100, status: 599 }, delay: { percent: 0.1, ms: 1 } },
      })),
    })),
  ],
  ['one retry with the defaults', color((s) => ({ ...s, retries: { attempts: 1 } }))],
  ...(['rolling', 'canary', 'linear', 'blue-green'] as const).map(
    (strategy): [string, Topology] => [
      `a ${strategy} deployment`,
      color((s) => ({ ...s, deployment: { strategy } })),
    ],
  ),
  [
    'a deployment with no bake time and the smallest step',
    color((s) => ({ ...s, deployment: { strategy: 'linear', bakeMinutes: 0, stepPercent: 1 } })),
  ],
  [
    'a deployment with the largest step',
    color((s) => ({ ...s, deployment: { strategy: 'canary', bakeMinutes: 15, stepPercent: 99 } })),
  ],
  ['a task size', color((s) => ({ ...s, size: { cpu: 256, memoryLimitMiB: 512 } }))],
  ['the smallest task size', color((s) => ({ ...s, size: { cpu: 1, memoryLimitMiB: 1 } }))],
];

describe('validateTopology', () => {
  it.each(passing)('accepts %s', (_name, topology) => {
    expect(validateTopology(topology)).toBe(topology);
  });

  it('returns a valid topology unchanged', () => {
    const topology = validTopology();
    expect(validateTopology(topology)).toBe(topology);
  });

  it.each(failing)('fails when %s', (_name, topology, message) => {
    const problems = problemsOf(topology);
    expect(
      problems.some((p) => message.test(p)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('fails once with every problem listed', () => {
    const topology = {
      ...withService('client', (s) => ({ ...s, port: 0, backends: [{ service: 'nope' }] })),
      ingress: { service: 'gone' },
    };
    let thrown: unknown;
    try {
      validateTopology(topology);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TopologyError);
    const error = thrown as TopologyError;
    expect(error.problems).toHaveLength(3);
    expect(error.message).toMatch(/^Topology "demo" is invalid \(3 problems\):\n {2}- /);
    for (const problem of error.problems) expect(error.message).toContain(problem);
  });

  it('fails with a one-problem message, naming an unnamed topology', () => {
    const topology = { ...validTopology(), name: '', ingress: { service: 'client' } };
    let thrown: unknown;
    try {
      validateTopology(topology);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TopologyError);
    expect((thrown as TopologyError).name).toBe('TopologyError');
    expect((thrown as TopologyError).message).toBe(
      'Topology "(unnamed)" is invalid (1 problem):\n' +
        '  - topology name "" is not a DNS label: use 1-63 lower-case letters, digits or \'-\', e.g. "color-teller"',
    );
  });

  it('reports a missing services list and the ingress it leaves unknown, nothing else', () => {
    const topology = { ...validTopology(), services: undefined as unknown as Topology['services'] };
    expect(problemsOf(topology)).toEqual([
      'the topology has no services: add at least one to "services"',
      'ingress fronts unknown service "client": set ingress.service to one of (none defined)',
    ]);
  });

  it('reports a service without a versions list, naming no version for its routes', () => {
    const topology = color((s) => ({
      ...s,
      versions: undefined as unknown as typeof s.versions,
      routes: [{ version: 'blue', whenHeader: { name: 'x-v', equals: 'blue' } }],
    }));
    expect(problemsOf(topology)).toEqual([
      'service "color": has no versions: add at least one, e.g. { name: "v1" }',
      'service "color": route 1 goes to unknown version "blue": use one of (none defined)',
    ]);
  });

  it('lists two problems on two lines', () => {
    const topology = withService('client', (s) => ({ ...s, port: 0, healthPath: 'health' }));
    expect(() => validateTopology(topology)).toThrow(
      'Topology "demo" is invalid (2 problems):\n' +
        '  - service "client": port 0 is out of range: use an integer from 1 to 65535\n' +
        '  - service "client": healthPath "health" must start with \'/\', e.g. "/health"',
    );
  });
});
