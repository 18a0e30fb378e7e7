import { afterEach } from 'vitest';
import { startRecordingServer } from './recording-server';
import type { RecordingServer } from './recording-server';

/** Something a test started and must stop before the next test: a server, an app, a process. */
export type Cleanup = () => unknown;

/**
 * Cleanups run after each test of the calling file, newest first (an app closes before the
 * upstream it calls). `defer` registers one; `recording` starts a recording server and defers
 * its close.
 */
export function cleanupAfterEach() {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const defer = (cleanup: Cleanup): void => {
    cleanups.push(cleanup);
  };
  const recording = async (
    respond?: Parameters<typeof startRecordingServer>[0],
  ): Promise<RecordingServer> => {
    const server = await startRecordingServer(respond);
    defer(() => server.close());
    return server;
  };
  return { defer, recording };
}
