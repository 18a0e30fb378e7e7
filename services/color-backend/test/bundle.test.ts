import { afterEach, describe, expect, it } from 'vitest';
import { startBundledService } from '@color-teller/service-kit/testing';
import type { BundledService } from '@color-teller/service-kit/testing';

let service: BundledService | undefined;
afterEach(() => service?.dispose());

describe('color-backend bundle', () => {
  it('runs on its own, without node_modules, and serves /color and /health', async () => {
    service = await startBundledService(new URL('..', import.meta.url), { COLOR: 'amber' });
    const url = await service.listening;
    expect(await (await fetch(new URL('/color', url))).json()).toEqual({ color: 'amber' });
    expect((await fetch(new URL('/health', url))).status).toBe(200);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  });
});
