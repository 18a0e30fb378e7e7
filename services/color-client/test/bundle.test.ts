import { afterEach, describe, expect, it } from 'vitest';
import { startBundledService, startRecordingServer } from '@color-teller/service-kit/testing';
import type { BundledService, RecordingServer } from '@color-teller/service-kit/testing';

let service: BundledService | undefined;
let backend: RecordingServer | undefined;
afterEach(async () => {
  await service?.dispose();
  await backend?.close();
});

describe('color-client bundle', () => {
  it('runs on its own, without node_modules, and proxies to the backend', async () => {
    backend = await startRecordingServer((_request, response) => response.end('{"color":"amber"}'));
    service = await startBundledService(new URL('..', import.meta.url), {
      COLOR_BACKEND: backend.url.href,
      STATIC_DIR: '/nonexistent',
    });
    const url = await service.listening;
    expect(await (await fetch(new URL('/gateway/color/color', url))).json()).toEqual({
      color: 'amber',
    });
    expect((await fetch(new URL('/health', url))).status).toBe(200);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  });
});
