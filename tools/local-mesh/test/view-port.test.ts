import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePorts } from '../src/ports';
import { viewPortNextTo } from '../src/view/view-port';

describe('the live view port', () => {
  it('is the one after the ingress when that is free', async () => {
    const [free] = await freePorts(1);
    expect(await viewPortNextTo(free! - 1)).toBe(free);
  });

  it('is any free port (0) when the one after the ingress is taken, or the ingress port is 0', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const taken = (blocker.address() as { port: number }).port;
    try {
      expect(await viewPortNextTo(taken - 1)).toBe(0);
      expect(await viewPortNextTo(0)).toBe(0);
    } finally {
      blocker.close();
    }
  });
});
