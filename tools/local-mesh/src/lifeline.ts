import { fileURLToPath, pathToFileURL } from 'node:url';

/** The child's file descriptor of its lifeline: a pipe whose other end only the runner holds. */
export const LIFELINE_FD = 3;

const PRELOAD = pathToFileURL(
  fileURLToPath(new URL('../preload/exit-with-runner.mjs', import.meta.url)),
).href;

/** Node arguments and env that make a child stop when its lifeline closes (see the preload). */
export function lifelineArgs(): string[] {
  return ['--import', PRELOAD];
}

const WATCHDOG = fileURLToPath(new URL('../watchdog/run-with-lifeline.mjs', import.meta.url));

/**
 * Node arguments that run a program in any language behind the watchdog, which holds the
 * lifeline for the program's whole process group (a program cannot load the preload).
 */
export function watchdogArgs(): string[] {
  return [WATCHDOG];
}

export const lifelineEnv = { LOCAL_MESH_LIFELINE_FD: String(LIFELINE_FD) } as const;
