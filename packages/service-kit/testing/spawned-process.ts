import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface SpawnedProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  readonly output: () => { readonly stdout: string; readonly stderr: string };
  /** Resolves with the exit code (or the signal's name) once the process ends. */
  readonly exited: Promise<number | string>;
  /** Resolves with the URL the service listens on, from its "Server listening at" log line. */
  readonly listening: Promise<URL>;
}

const LISTENING = /Server listening at (http:\/\/[^"\s]+)/;

/** Starts `node <args>` with `env` added to this process's environment. */
export function spawnNode(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): SpawnedProcess {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const listening = new Promise<URL>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = LISTENING.exec(stdout);
      if (match?.[1]) resolve(new URL(match[1]));
    });
    void exited.then((code) =>
      reject(new Error(`exited (${code}) before listening:\n${stdout}${stderr}`)),
    );
  });
  listening.catch(() => undefined);
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return { child, output: () => ({ stdout, stderr }), exited, listening };
}
