/**
 * Every default the construct library applies, in one place. Functions return fresh objects so
 * that no caller can mutate a shared default.
 */
import { PINNED_IMAGES, imageReference } from './pinned-images';

/** The last Envoy release AWS published for App Mesh (retired 2026-09-30). */
export const ENVOY_IMAGE = imageReference(PINNED_IMAGES.envoy);
/** X-Ray daemon for the App Mesh flavor's Envoy traces. */
export const XRAY_DAEMON_IMAGE = imageReference(PINNED_IMAGES.xrayDaemon);
/** ADOT collector: receives the apps' OTLP and writes to X-Ray (Service Connect flavor). */
export const OTEL_COLLECTOR_IMAGE = imageReference(PINNED_IMAGES.collector);

/** Envoy's user: App Mesh's proxy configuration lets its traffic (and any sidecar's) bypass Envoy. */
export const ENVOY_UID = 1337;
export const ENVOY_ADMIN_PORT = 9901;
export const ENVOY_INGRESS_PORT = 15000;
export const ENVOY_EGRESS_PORT = 15001;
/** ECS task metadata/credentials endpoint and the instance metadata service skip the proxy. */
export const EGRESS_IGNORED_IPS: readonly string[] = ['169.254.170.2', '169.254.169.254'];
export const XRAY_DAEMON_PORT = 2000;
export const OTLP_HTTP_PORT = 4318;
/** Port the App Mesh ingress gateway's Envoy listens on behind the ALB. */
export const GATEWAY_PORT = 8080;
/** Address for the Cloud Map record that makes a virtual service name resolve; Envoy intercepts it. */
export const VIRTUAL_SERVICE_PLACEHOLDER_IP = '10.10.10.10';
/** The Node images' unprivileged `node` user. */
export const APP_UID = '1000';
/** The ADOT collector image's own user `aoc` (uid 4317, set in its Dockerfile). */
export const COLLECTOR_UID = '4317';
/** The collector's health_check extension; the image's `/healthcheck` binary asks this port. */
export const COLLECTOR_HEALTH_PORT = 13133;

export interface TaskSize {
  readonly cpu: number;
  readonly memoryLimitMiB: number;
}

/**
 * The smallest Fargate size: a Node service here holds 80-130 MB RSS under load, Envoy about
 * 60-100 MB, the X-Ray daemon and the collector a few tens of MB.
 */
export function defaultTaskSize(): TaskSize {
  return { cpu: 256, memoryLimitMiB: 512 };
}

/** Hard memory limits per container; they must sum below the task's memory. */
export function containerMemoryLimitsMiB() {
  return { app: 192, envoy: 160, gateway: 256, xrayDaemon: 64, collector: 96 };
}

export function defaultScaling() {
  return { minTasks: 1, maxTasks: 1, targetCpuPercent: 60, requestsPerTarget: 1000 };
}

export function defaultDeployment() {
  return { bakeMinutes: 5, stepPercent: 10 };
}

/** Envoy's ulimit for open files (App Mesh's documented value for sidecars). */
export function envoyNofileLimit(): number {
  return 15000;
}

/** A year: what AWS Control Tower requires (CT.CLOUDWATCH.PR.2) and what an incident review needs. */
export function defaultLogRetentionDays(): number {
  return 365;
}

/** Envoy's connection pool for an HTTP listener: bounded so one caller cannot exhaust a node. */
export function defaultConnectionPool() {
  return { maxConnections: 1024, maxPendingRequests: 1024 };
}

/** Container health check timing (the article's values). */
export function containerHealthCheckTiming() {
  return { intervalSeconds: 5, timeoutSeconds: 2, startPeriodSeconds: 10, retries: 3 };
}

export function albHealthCheckTiming() {
  return { intervalSeconds: 10, healthyThresholdCount: 2, unhealthyThresholdCount: 3 };
}

/** Lets the ALB drain a target quickly; Node servers here finish requests within seconds. */
export function deregistrationDelaySeconds(): number {
  return 15;
}
