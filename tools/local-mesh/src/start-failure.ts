import type { PlannedProcess } from './plan';

const PORT_TAKEN = /EADDRINUSE|address already in use/i;

/**
 * The one line that says why a process did not become healthy at start-up, and what to do:
 * `reason` is what the health wait saw (an exit and the process's last words, or a timeout).
 */
export function startFailureLine(label: string, p: PlannedProcess, reason: string): string {
  const head = `${label} did not start: ${reason}`;
  if (PORT_TAKEN.test(reason)) {
    return `${head}: another process holds the port it tried; stop that process, and make the service listen on the PORT it is given (${p.port})`;
  }
  if (/exited \(/.test(reason)) {
    return p.command
      ? `${head}: run ${JSON.stringify(p.command.join(' '))} in ${p.cwd} to see why, and fix it or its "command"`
      : head;
  }
  // Up but not answering: a service outside this repository most likely missed the contract.
  return `${head}: make it listen on HOST and PORT (${p.env.HOST}:${p.port}) and answer 200 on ${new URL(p.healthUrl).pathname}`;
}
