import { describe, expect, it } from 'vitest';
import { routerConfigVariable } from '../src/router/config';

const valid = {
  service: 'color',
  upstreams: [
    { name: 'red', weight: 80, url: 'http://127.0.0.1:4001' },
    { name: 'blue', weight: 20, url: 'http://127.0.0.1:4002' },
  ],
  routes: [{ version: 'blue', whenHeader: { name: 'x-color-version', equals: 'blue' } }],
};

const parse = (plan: unknown) => routerConfigVariable.parse(JSON.stringify(plan), {});

describe('routerConfigVariable', () => {
  it('reads the plan the runner writes', () => {
    expect(parse(valid)).toEqual(valid);
  });

  it('says what it expects', () => {
    expect(routerConfigVariable.expected).toBe('the JSON router plan that the local runner writes');
  });

  it.each([
    ['text that is not JSON', 'not json'],
    ['a plan without a service name', JSON.stringify({ ...valid, service: 7 })],
    ['a plan whose upstreams are not a list', JSON.stringify({ ...valid, upstreams: {} })],
    ['a plan without upstreams', JSON.stringify({ ...valid, upstreams: [] })],
    [
      'an upstream without a name',
      JSON.stringify({ ...valid, upstreams: [{ weight: 1, url: 'http://127.0.0.1:1' }] }),
    ],
    [
      'an upstream of weight 0',
      JSON.stringify({
        ...valid,
        upstreams: [...valid.upstreams, { name: 'a', weight: 0, url: 'http://127.0.0.1:1' }],
      }),
    ],
    [
      'an upstream whose URL does not parse',
      JSON.stringify({ ...valid, upstreams: [{ name: 'a', weight: 1, url: 'nowhere' }] }),
    ],
    ['a plan without routes', JSON.stringify({ ...valid, routes: undefined })],
  ])('rejects %s', (_name, raw) => {
    expect(routerConfigVariable.parse(raw, {})).toBeUndefined();
  });
});
