/**
 * Container health checks: ECS ignores a Dockerfile's HEALTHCHECK, and without one a hung task
 * that no load balancer watches stays in service.
 */
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import { ENVOY_ADMIN_PORT, containerHealthCheckTiming } from './defaults';
import { seconds } from './hardening';

function withTiming(command: string[]): ecs.HealthCheck {
  const timing = containerHealthCheckTiming();
  return {
    command,
    interval: seconds(timing.intervalSeconds),
    timeout: seconds(timing.timeoutSeconds),
    startPeriod: seconds(timing.startPeriodSeconds),
    retries: timing.retries,
  };
}

/**
 * The app answers 2xx on its health path: the image's own `node` runs the probe (exec form, so
 * no shell, curl or npm is needed in the image).
 */
export function appHealthCheck(port: number, healthPath: string): ecs.HealthCheck {
  const url = JSON.stringify(`http://127.0.0.1:${port}${healthPath}`);
  const probe = `fetch(${url},{signal:AbortSignal.timeout(1500)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  return withTiming(['CMD', 'node', '-e', probe]);
}

/** A command the image itself has, e.g. its Dockerfile's HEALTHCHECK (`CMD …` or `CMD-SHELL …`). */
export function imageCommandHealthCheck(command: readonly string[]): ecs.HealthCheck {
  return withTiming([...command]);
}

/** The ADOT collector image ships `/healthcheck`, which asks the health_check extension. */
export function collectorHealthCheck(): ecs.HealthCheck {
  return withTiming(['CMD', '/healthcheck']);
}

/** Envoy reports LIVE on its admin endpoint once it has its configuration (the image has curl). */
export function envoyHealthCheck(): ecs.HealthCheck {
  return withTiming([
    'CMD-SHELL',
    `curl -s http://localhost:${ENVOY_ADMIN_PORT}/server_info | grep state | grep -q LIVE`,
  ]);
}
