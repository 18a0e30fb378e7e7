// Loaded by the local runner into every process it starts (`node --import`), never by the
// services themselves: when the runner's end of the lifeline pipe closes, however the runner
// died (Ctrl-C, a closed terminal, SIGKILL), this process stops too instead of holding its port.
import { Socket } from 'node:net';

const fd = Number(process.env.LOCAL_MESH_LIFELINE_FD);
if (Number.isInteger(fd) && fd > 2) {
  const lifeline = new Socket({ fd, readable: true, writable: false });
  // The pipe must not keep a process alive that would otherwise exit.
  lifeline.unref();
  lifeline.on('error', () => {});
  lifeline.resume();
  // No drain: the runner read this process's output, so a graceful exit would block for ever
  // writing log lines into a pipe nobody reads (pino retries a broken stdout).
  lifeline.once('close', () => process.kill(process.pid, 'SIGKILL'));
}
