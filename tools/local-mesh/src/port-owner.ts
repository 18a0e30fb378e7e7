import { execFile } from 'node:child_process';
import { readFile, readdir, readlink } from 'node:fs/promises';

/**
 * Who listens on a loopback port, seen from one supervised process: `ours` (that process or one
 * of its descendants), `other` (something else), `none`, or `unknown` where the system does not
 * say (neither Linux's /proc nor `lsof`).
 */
export type PortOwner = 'ours' | 'other' | 'none' | 'unknown';

/** Which of {@link PortOwner} holds `port`, as seen from the process `pid` started. */
export async function portOwner(port: number, pid: number): Promise<PortOwner> {
  const inodes = await listeningInodes(port);
  if (inodes) return ownerFromProc(inodes, pid);
  return ownerFromLsof(port, pid);
}

// Linux: /proc/net/tcp{,6} list sockets with their state and inode; a process's fds link to them.
const TCP_TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];
const LISTEN_STATE = '0A';

/** Inodes of the sockets listening on `port`, or undefined where /proc/net/tcp is not readable. */
async function listeningInodes(port: number): Promise<Set<string> | undefined> {
  const inodes = new Set<string>();
  let readable = false;
  for (const table of TCP_TABLES) {
    const text = await readFile(table, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    readable = true;
    for (const line of text.split('\n').slice(1)) {
      // Fields: sl, local "ADDR:PORT" (hex), remote, state, queues, timer, retransmits, uid, timeout, inode.
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== LISTEN_STATE) continue;
      if (Number.parseInt(fields[1]!.split(':')[1]!, 16) === port) inodes.add(fields[9]!);
    }
  }
  return readable ? inodes : undefined;
}

async function ownerFromProc(inodes: ReadonlySet<string>, pid: number): Promise<PortOwner> {
  if (inodes.size === 0) return 'none';
  const sockets = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  for (const member of await processTree(pid)) {
    const fds = await readdir(`/proc/${member}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${member}/fd/${fd}`).catch(() => '');
      if (sockets.has(target)) return 'ours';
    }
  }
  return 'other';
}

/** `pid` and its descendants: a command may be a wrapper whose child does the listening. */
async function processTree(pid: number): Promise<number[]> {
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0 && tree.length < 256) {
    const next = queue.shift()!;
    tree.push(next);
    const tasks = await readdir(`/proc/${next}/task`).catch(() => [] as string[]);
    for (const task of tasks) {
      const children = await readFile(`/proc/${next}/task/${task}/children`, 'utf8').catch(
        () => '',
      );
      for (const child of children.split(' ')) if (child.trim()) queue.push(Number(child));
    }
  }
  return tree;
}

/**
 * Elsewhere (macOS), `lsof` names the listeners' process groups; a supervised process leads its
 * own group, so its group id is its pid.
 */
function ownerFromLsof(port: number, pid: number): Promise<PortOwner> {
  return new Promise((resolve) => {
    execFile(
      'lsof',
      ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-F', 'g'],
      { timeout: 2000 },
      (error, stdout) => {
        // lsof exits 1 when nothing matches; it is missing when the error has a string code.
        if (error && typeof error.code === 'string') return resolve('unknown');
        const groups = stdout
          .split('\n')
          .filter((line) => line.startsWith('g'))
          .map((line) => Number(line.slice(1)));
        if (groups.length === 0) return resolve('none');
        resolve(groups.includes(pid) ? 'ours' : 'other');
      },
    );
  });
}
