// Started by the local runner in front of a program in any language (`node run-with-lifeline.mjs
// <program> [args…]`), as the leader of the program's process group. The program cannot load the
// Node preload that ties other processes to the runner, so this does it for the whole group: when
// the runner's end of the lifeline pipe (fd 3) closes, however the runner died, it SIGKILLs the
// group, the program and anything it started with it. Plain JavaScript, no dependencies: it must
// start fast and know nothing of the mesh.
import { spawn } from 'node:child_process';
import { Socket } from 'node:net';

const [program, ...args] = process.argv.slice(2);
if (!program) {
  console.error('local-mesh watchdog: no program given');
  process.exit(2);
}

const lifelineFd = Number(process.env.LOCAL_MESH_LIFELINE_FD);
const killGroup = () => process.kill(-process.pid, 'SIGKILL');

// The program shares this process group and the runner's output pipes; it gets no lifeline fd.
const child = spawn(program, args, { stdio: ['ignore', 'inherit', 'inherit'] });
delete process.env.LOCAL_MESH_LIFELINE_FD;

// The runner signals the whole group, so the program gets SIGTERM itself: wait for it to drain.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => {});

child.once('error', (error) => {
  const notFound = error.code === 'ENOENT';
  console.error(
    notFound
      ? `local-mesh watchdog: command "${program}" was not found`
      : `local-mesh watchdog: could not start "${program}": ${error.message}`,
  );
  process.exit(notFound ? 127 : 126);
});

child.once('exit', (code, signal) => {
  if (signal) {
    // Die of the same signal, so the runner reports what happened to the program.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});

if (Number.isInteger(lifelineFd) && lifelineFd > 2) {
  const lifeline = new Socket({ fd: lifelineFd, readable: true, writable: false });
  lifeline.on('error', () => {});
  lifeline.resume();
  lifeline.once('close', killGroup);
}
