import type { BackendRef, ServiceSpec, VersionSpec } from './types';

/** Env var that carries a backend's base URL: `envVar`, else `<SERVICE>_BACKEND` (`COLOR_BACKEND`). */
export function backendEnvVar(backend: BackendRef): string {
  return backend.envVar ?? `${backend.service.toUpperCase().replace(/-/g, '_')}_BACKEND`;
}

/**
 * The env one version of a service runs with: the service's env, the version's env over it, and
 * one URL per backend. Each renderer knows its own URLs (a local router, a Service Connect alias,
 * an App Mesh virtual service name), so it passes `backendUrl`. `PORT` and `HOST` are left to the
 * renderer too.
 */
export function versionEnv(
  service: ServiceSpec,
  version: VersionSpec,
  backendUrl: (backendService: string) => string,
): Record<string, string> {
  const env: Record<string, string> = { ...service.env, ...version.env };
  for (const backend of service.backends ?? []) {
    env[backendEnvVar(backend)] = backendUrl(backend.service);
  }
  return env;
}
