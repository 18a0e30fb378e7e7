import { readFileSync, watchFile } from 'node:fs';
import { settleOutlierDetection, settleRetries } from '@color-teller/topology';
import type { FaultsSpec, OutlierDetectionSpec, RetryPolicy } from '@color-teller/topology';
import type { RouterConfig } from '../plan';
import { createVersionChooser } from './choose';
import { sendToRunner } from './channel';
import { routerConfigVariable } from './config';

/** The env var naming the file that holds the router's current plan. */
export const ROUTER_FILE_ENV = 'LOCAL_MESH_ROUTER_FILE';

export interface Routing {
  readonly upstreams: ReadonlyMap<string, URL>;
  readonly choose: ReturnType<typeof createVersionChooser>;
  /** The version behind each upstream origin (`http://127.0.0.1:port`). */
  readonly versionOf: ReadonlyMap<string, string>;
  /** The faults of each upstream origin whose version has any. */
  readonly faultsOf: ReadonlyMap<string, FaultsSpec>;
  readonly retries: RetryPolicy | undefined;
  readonly outlierDetection: Required<OutlierDetectionSpec> | undefined;
}

export function routingOf(plan: RouterConfig): Routing {
  const origin = (url: string) => new URL(url).origin;
  return {
    upstreams: new Map(plan.upstreams.map((u) => [u.name, new URL(u.url)])),
    choose: createVersionChooser(plan.upstreams, plan.routes),
    versionOf: new Map(plan.upstreams.map((u) => [origin(u.url), u.name])),
    faultsOf: new Map(plan.upstreams.flatMap((u) => (u.faults ? [[origin(u.url), u.faults]] : []))),
    retries: plan.retries && settleRetries(plan.retries),
    outlierDetection: plan.outlierDetection && settleOutlierDetection(plan.outlierDetection),
  };
}

interface Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** Applies every valid plan written to the file of {@link ROUTER_FILE_ENV}; ignores others. */
export function followRouterFile(
  env: NodeJS.ProcessEnv,
  apply: (routing: Routing) => void,
  log: Logger,
): void {
  const file = env[ROUTER_FILE_ENV];
  if (!file) return;
  // Stat polling, 10 times a second: a change applies well within a second, on any file system.
  watchFile(file, { interval: 100, persistent: false }, () => {
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    const plan = routerConfigVariable.parse(raw, env);
    if (!plan) {
      log.warn({ file }, 'router plan ignored: not a valid plan');
      return;
    }
    apply(routingOf(plan));
    sendToRunner({ type: 'plan-applied', service: plan.service, revision: plan.revision ?? 0 });
    log.info(
      {
        upstreams: plan.upstreams.map((u) => `${u.name}=${u.weight}`),
        retries: plan.retries?.attempts ?? 0,
        faults: plan.upstreams.filter((u) => u.faults).map((u) => u.name),
      },
      'router plan applied',
    );
  });
}
