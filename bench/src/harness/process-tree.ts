import { readFile, readdir } from 'node:fs/promises';
import { readCpuMs } from './service-process';

/** CPU time so far of each process in a tree, by pid, and what each one runs. */
export type TreeCpu = ReadonlyMap<number, { readonly cpuMs: number; readonly command: string }>;

async function parentOf(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // Fields after the command name (which may hold spaces): state, then the parent's pid.
  return stat === undefined
    ? undefined
    : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** What a process runs, shortened to its script's last two path segments (`router/main.ts`). */
async function commandOf(pid: number): Promise<string> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const args = cmdline.split('\0').filter(Boolean);
  const script = [...args].reverse().find((arg) => /\.(m?[jt]s)$/.test(arg)) ?? args[0] ?? '?';
  return script.split('/').slice(-3).join('/');
}

/**
 * The CPU (user + system, from /proc) of `rootPid` and every process below it: a local mesh's
 * runner, routers, services and whatever else it spawned. A process that exits between two
 * readings loses what it spent since the first.
 */
export async function readTreeCpu(rootPid: number): Promise<TreeCpu> {
  const children = new Map<number, number[]>();
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  await Promise.all(
    pids.map(async (pid) => {
      const parent = await parentOf(pid);
      if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
    }),
  );
  const tree = new Map<number, { cpuMs: number; command: string }>();
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    const cpuMs = await readCpuMs(pid).catch(() => undefined);
    if (cpuMs === undefined) continue;
    tree.set(pid, { cpuMs, command: await commandOf(pid) });
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** CPU spent between two readings of one tree, in total and per process (`command pid`). */
export function cpuSpent(
  before: TreeCpu,
  after: TreeCpu,
): { totalMs: number; byProcess: Record<string, number> } {
  const byProcess: Record<string, number> = {};
  let totalMs = 0;
  for (const [pid, { cpuMs, command }] of after) {
    const spent = cpuMs - (before.get(pid)?.cpuMs ?? 0);
    byProcess[`${command} ${pid}`] = spent;
    totalMs += spent;
  }
  return { totalMs, byProcess };
}
