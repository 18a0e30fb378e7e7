import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { portOwner } from '../src/port-owner';
import { freePorts } from '../src/ports';

const started: ChildProcess[] = [];
const servers: Server[] = [];
afterEach(() => {
  // Each child leads its own process group: the wrapper's grandchild goes with it.
  for (const child of started.splice(0)) process.kill(-child.pid!, 'SIGKILL');
  for (const server of servers.splice(0)) server.close();
});

/** A child that listens on `port` itself, or through a grandchild when `wrapped`. */
async function listeningChild(port: number, wrapped: boolean): Promise<ChildProcess> {
  const listen = `require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log('up'))`;
  const args = wrapped
    ? [
        '-e',
        `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(listen)}], { stdio: 'inherit' })`,
      ]
    : ['-e', listen];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  started.push(child);
  await once(child.stdout!, 'data');
  return child;
}

describe('portOwner', () => {
  it('says ours when the process itself listens on the port', async () => {
    const [port] = await freePorts(1);
    const child = await listeningChild(port!, false);
    expect(await portOwner(port!, child.pid!)).toBe('ours');
  });

  it('says ours when a descendant of the process listens (a wrapper command)', async () => {
    const [port] = await freePorts(1);
    const child = await listeningChild(port!, true);
    expect(await portOwner(port!, child.pid!)).toBe('ours');
  });

  it('says other when something else listens, and none when nothing does', async () => {
    const [port] = await freePorts(1);
    const bystander = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      detached: true,
    });
    started.push(bystander);
    expect(await portOwner(port!, bystander.pid!)).toBe('none');
    const server = createServer();
    servers.push(server);
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    expect(await portOwner(port!, bystander.pid!)).toBe('other');
  });
});
