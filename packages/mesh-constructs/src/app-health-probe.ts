import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceSpec } from '@color-teller/topology';

/**
 * The command a service's container health check runs (ECS's `CMD` or `CMD-SHELL` form), or
 * `undefined` for none. ECS runs only the health check of the task definition, never the
 * image's own HEALTHCHECK (ECS API reference, HealthCheck), so the choice is made here:
 * - a Node service of this repository (no `command`, no `image`): its image's `node` fetches the
 *   health path (see `appHealthCheck`);
 * - a service built from its own Dockerfile: that Dockerfile's HEALTHCHECK command, since its
 *   author knows which program the image has (curl, wget, python3 …); none when it declares none;
 * - a service given as `image`: none, nothing says what is inside it.
 * Without one, the ingress's ALB target group and the VPC Lattice target groups still check the
 * health path; a Service Connect backend is then watched by no health check (Service Connect has
 * none of its own), which docs/bring-your-own-service.md tells.
 */
export type AppHealthProbe =
  | { readonly kind: 'node' }
  | { readonly kind: 'dockerfile'; readonly command: readonly string[] }
  | { readonly kind: 'none'; readonly reason: string };

/** How the container of `service` is health-checked, reading its Dockerfile under `repositoryRoot`. */
export function appHealthProbe(service: ServiceSpec, repositoryRoot: string): AppHealthProbe {
  if (service.image) {
    return { kind: 'none', reason: 'a registry image: nothing says which program it has' };
  }
  if (!service.command) return { kind: 'node' };
  const file = join(repositoryRoot, service.codePath, 'Dockerfile');
  const command = existsSync(file) ? healthcheckOf(readFileSync(file, 'utf8')) : undefined;
  return command
    ? { kind: 'dockerfile', command }
    : { kind: 'none', reason: `${service.codePath}/Dockerfile declares no HEALTHCHECK` };
}

/**
 * The last stage's `HEALTHCHECK … CMD` of a Dockerfile as an ECS command: the JSON (exec) form
 * becomes `CMD` and its arguments, the shell form `CMD-SHELL` and its line. `HEALTHCHECK NONE`,
 * or none at all, gives undefined. Line continuations are joined first.
 */
export function healthcheckOf(dockerfile: string): string[] | undefined {
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  let found: string[] | undefined;
  for (const line of lines) {
    const trimmed = line.trim();
    // A new stage starts from scratch: only the last stage's HEALTHCHECK ends in the image.
    if (/^FROM\s/i.test(trimmed)) found = undefined;
    const match = /^HEALTHCHECK\s+(.*)$/i.exec(trimmed);
    if (!match) continue;
    if (/^NONE\b/i.test(match[1]!)) {
      found = undefined;
      continue;
    }
    const cmd = /(?:^|\s)CMD\s+(.*)$/i.exec(match[1]!);
    if (!cmd) continue;
    found = commandOf(cmd[1]!.trim());
  }
  return found;
}

function commandOf(text: string): string[] {
  if (text.startsWith('[')) {
    try {
      const argv = JSON.parse(text) as unknown;
      if (Array.isArray(argv) && argv.every((arg) => typeof arg === 'string')) {
        return ['CMD', ...(argv as string[])];
      }
    } catch {
      // Not valid JSON: Docker runs it with the shell, and so does ECS.
    }
  }
  return ['CMD-SHELL', text];
}
