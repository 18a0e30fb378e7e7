import type { LocalMeshProcess } from './index';

/** `color-teller` → `Color Teller`, for the start-up banner. */
export function titleOf(name: string): string {
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** One aligned line per process: service, version (or router), URL. */
export function formatProcessTable(
  processes: readonly LocalMeshProcess[],
  ingressUrl: string,
  shownIngressUrl: string,
): string {
  const rows = processes.map((p) => [
    p.service,
    p.version,
    p.url === ingressUrl ? `${shownIngressUrl} (ingress)` : p.url,
  ]);
  const widths = [0, 1].map((col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows
    .map((row) => `  ${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}`)
    .join('\n');
}
