import { mkdtempSync, rmSync, unwatchFile, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RouterConfig } from '../src/plan';
import {
  followRouterFile,
  ROUTER_FILE_ENV,
  routingOf,
  type Routing,
} from '../src/router/live-config';

const plan: RouterConfig = {
  service: 'color',
  upstreams: [
    { name: 'red', weight: 100, url: 'http://127.0.0.1:4001' },
    { name: 'blue', weight: 1, url: 'http://127.0.0.1:4002/base' },
  ],
  routes: [{ version: 'blue', whenHeader: { name: 'x-color-version', equals: 'blue' } }],
};

const folders: string[] = [];
const watched: string[] = [];

afterEach(() => {
  for (const file of watched.splice(0)) unwatchFile(file);
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function planFile(): string {
  const folder = mkdtempSync(join(tmpdir(), 'live-config-'));
  folders.push(folder);
  const file = join(folder, 'router.json');
  watched.push(file);
  return file;
}

function fakeLog() {
  return { info: vi.fn(), warn: vi.fn() };
}

describe('routingOf', () => {
  it('maps each version to its URL and chooses by the plan’s routes and weights', () => {
    const routing = routingOf(plan);
    expect([...routing.upstreams.keys()]).toEqual(['red', 'blue']);
    expect(routing.upstreams.get('red')?.href).toBe('http://127.0.0.1:4001/');
    expect(routing.upstreams.get('blue')?.href).toBe('http://127.0.0.1:4002/base');
    expect(routing.choose({ 'x-color-version': 'blue' })).toBe('blue');
  });
});

describe('followRouterFile', () => {
  it('does nothing without the env var', () => {
    const apply = vi.fn();
    expect(() => followRouterFile({}, apply, fakeLog())).not.toThrow();
    expect(ROUTER_FILE_ENV).toBe('LOCAL_MESH_ROUTER_FILE');
  });

  it('applies a valid plan written to the file, and logs the weights', async () => {
    const file = planFile();
    writeFileSync(file, '{}');
    const applied: Routing[] = [];
    const log = fakeLog();
    followRouterFile({ [ROUTER_FILE_ENV]: file }, (routing) => applied.push(routing), log);
    await new Promise((resolve) => setTimeout(resolve, 250));
    writeFileSync(file, JSON.stringify(plan));
    // Polled ten times a second: applied well before Node's default five-second poll would see it.
    await vi.waitFor(() => expect(applied).toHaveLength(1), { timeout: 4_000, interval: 50 });
    expect([...applied[0]!.upstreams.keys()]).toEqual(['red', 'blue']);
    expect(applied[0]!.choose({ 'x-color-version': 'blue' })).toBe('blue');
    expect(log.info).toHaveBeenCalledWith(
      { upstreams: ['red=100', 'blue=1'], retries: 0, faults: [] },
      'router plan applied',
    );
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('ignores an invalid plan with a warning, and a file that is gone, and keeps following', async () => {
    const file = planFile();
    writeFileSync(file, JSON.stringify(plan));
    const apply = vi.fn();
    const log = fakeLog();
    followRouterFile({ [ROUTER_FILE_ENV]: file }, apply, log);
    await new Promise((resolve) => setTimeout(resolve, 250));
    writeFileSync(file, 'not a plan');
    await vi.waitFor(() => expect(log.warn).toHaveBeenCalledTimes(1), {
      timeout: 10_000,
      interval: 50,
    });
    expect(log.warn).toHaveBeenCalledWith({ file }, 'router plan ignored: not a valid plan');
    rmSync(file);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(apply).not.toHaveBeenCalled();
    writeFileSync(file, JSON.stringify(plan));
    await vi.waitFor(() => expect(apply).toHaveBeenCalledTimes(1), {
      timeout: 10_000,
      interval: 50,
    });
    expect(log.warn).toHaveBeenCalledTimes(1);
  });
});
