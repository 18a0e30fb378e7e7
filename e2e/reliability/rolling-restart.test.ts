import { afterEach, describe, expect, it } from 'vitest';
import { startService, type ServiceProcess } from '../../bench/src/harness/service-process';
import { closedByServer, connect } from './support/raw-http';
import { sleep } from './support/traffic';

describe('a backend that gets SIGTERM with requests in flight', () => {
  let backend: ServiceProcess | undefined;

  afterEach(async () => {
    await backend?.stop('SIGKILL');
  });

  it('answers every request already in flight with 200, then exits 0 (drain)', async () => {
    backend = await startService('backend', { env: { COLOR: 'red', DRAIN_TIMEOUT_MS: '5000' } });
    // Requests whose first bytes have reached the server: they are in flight when SIGTERM lands.
    const sockets = await Promise.all(Array.from({ length: 20 }, () => connect(backend!.port)));
    const answers = sockets.map((socket) => closedByServer(socket));
    for (const socket of sockets) socket.write('GET /color HTTP/1.1\r\nHost: color\r\n');
    await sleep(200);

    backend.child.kill('SIGTERM');
    await sleep(300);
    expect(backend.isAlive()).toBe(true);
    for (const socket of sockets) socket.write('Accept: application/json\r\n\r\n');

    const statusLines = (await Promise.all(answers)).map((raw) => raw.split('\r\n')[0]);
    expect(statusLines).toEqual(sockets.map(() => 'HTTP/1.1 200 OK'));
    expect((await backend.exited).code).toBe(0);
  });
});
