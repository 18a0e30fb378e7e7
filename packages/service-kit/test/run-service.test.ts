import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnNode } from '../testing';
import type { SpawnedProcess } from '../testing';

const fixture = fileURLToPath(new URL('fixtures/slow-service.ts', import.meta.url));
const running: SpawnedProcess[] = [];
afterEach(() => {
  for (const service of running.splice(0)) service.child.kill('SIGKILL');
});

function startSlowService(env: Record<string, string> = {}): SpawnedProcess {
  const service = spawnNode(['--import', 'tsx', fixture], env);
  running.push(service);
  return service;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

const untilLogged = (service: SpawnedProcess, text: string) =>
  until(() => service.output().stdout.includes(text));

// The handler's own stderr mark: it cannot arrive after the request has finished, as a batched log line can.
const untilHandlerReached = (service: SpawnedProcess) =>
  until(() => service.output().stderr.includes('slow request started'));

describe('runService', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`lets a request in flight finish with 200 on ${signal}, refuses new connections, then exits 0`, async () => {
      const service = startSlowService();
      const url = await service.listening;
      const inFlight = fetch(new URL('/slow?ms=700', url));
      await untilHandlerReached(service);
      service.child.kill(signal);
      await untilLogged(service, '"draining"');
      await expect(
        fetch(new URL('/slow?ms=0', url), { headers: { connection: 'close' } }),
      ).rejects.toThrow();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ done: true });
      expect(await service.exited).toBe(0);
      // Drained, not cut: the keep-alive connection was closed after its last answer.
      expect(service.output().stdout).toContain('"stopped"');
      expect(service.output().stdout).not.toContain('drain timeout reached');
    });
  }

  it('cuts what is still running after DRAIN_TIMEOUT_MS and exits 0', async () => {
    const service = startSlowService({ DRAIN_TIMEOUT_MS: '300' });
    const url = await service.listening;
    const stuck = fetch(new URL('/slow?ms=60000', url)).then(
      (response) => response.status,
      () => 'cut',
    );
    await untilHandlerReached(service);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(await stuck).toBe('cut');
    expect(service.output().stdout).toContain('drain timeout reached');
  });

  it('writes every log line to stdout when SIGTERM arrives right after a burst', async () => {
    const service = startSlowService();
    const url = await service.listening;
    const burst = 300;
    const statuses = await Promise.all(
      Array.from({ length: burst }, () =>
        fetch(new URL('/slow?ms=0', url)).then((response) => response.status),
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(burst);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    const lines = service
      .output()
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string });
    expect(lines.filter((line) => line.msg === 'request')).toHaveLength(burst);
    expect(lines.filter((line) => line.msg === 'slow request started')).toHaveLength(burst);
    // Written just before exit, after every request line: nothing was left in the buffer.
    expect(lines.at(-1)?.msg).toBe('stopped');
  });

  it('exits 0 at once on SIGTERM when idle', async () => {
    const service = startSlowService();
    await service.listening;
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.output().stdout).toContain('"stopped"');
  });
});
