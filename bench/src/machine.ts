import os from 'node:os';
import type { Machine } from './report/table';

export function describeMachine(now = new Date()): Machine {
  return {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: now.toISOString(),
  };
}
