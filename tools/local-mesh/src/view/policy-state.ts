import {
  outlierPolicyOf,
  retryPolicyOf,
  type FaultsSpec,
  type Topology,
} from '@color-teller/topology';
import { hasRouter } from '../routed';
import type { RouterMessage } from '../router/channel';

/** The traffic policy of one service as the view shows it. */
export interface ServicePolicyView {
  readonly service: string;
  /** Who calls it (`client → color`), the edge its retries apply to. */
  readonly edges: readonly string[];
  /** E.g. `2 more tries on gateway-error, reset, connect-failure`; absent without retries. */
  readonly retries?: string;
  /** Retries in the router's last reported second, when it reported in the last 3 s. */
  readonly retriesPerSecond?: number;
  readonly callsPerSecond?: number;
  readonly outlierDetection?: string;
  /** Versions out of rotation now. */
  readonly ejected: readonly string[];
  /** Each version's faults, from the file or injected from the view. */
  readonly faults: Readonly<Record<string, FaultsSpec & { injected: boolean }>>;
  /** Versions behind a router: only they can take a fault without a restart. */
  readonly versions: readonly string[];
}

const FRESH_MS = 3000;

/**
 * Takes what the routers' policy did (ejections, returns, retries, over the routers' channel)
 * and holds the policy of the running topology, for the view's traffic-policy table.
 */
export class PolicyState {
  private topology: Topology;
  private injected: Record<string, FaultsSpec> = {};
  private readonly ejectedUntil = new Map<string, number>();
  private readonly retries = new Map<string, { at: number; retries: number; calls: number }>();

  constructor(
    topology: Topology,
    private readonly now: () => number = Date.now,
  ) {
    this.topology = topology;
  }

  setTopology(topology: Topology, injected: Record<string, FaultsSpec>): void {
    this.topology = topology;
    this.injected = injected;
  }

  /** What a router's traffic policy did: a version ejected or back, or a second's retries. */
  onRouterMessage(message: RouterMessage): void {
    if (message.type === 'ejection') {
      const key = `${message.service} ${message.event.version}`;
      if (message.event.kind === 'ejected') {
        this.ejectedUntil.set(key, this.now() + message.event.forMs);
      } else {
        this.ejectedUntil.delete(key);
      }
    } else if (message.type === 'retries') {
      this.retries.set(message.service, {
        at: this.now(),
        retries: message.retries,
        calls: message.calls,
      });
    }
  }

  snapshot(): ServicePolicyView[] {
    const now = this.now();
    return this.topology.services.map((service) => {
      const retries = retryPolicyOf(service);
      const outliers = outlierPolicyOf(service);
      const reported = this.retries.get(service.name);
      const fresh = reported && now - reported.at < FRESH_MS ? reported : undefined;
      const faults: Record<string, FaultsSpec & { injected: boolean }> = {};
      for (const version of service.versions) {
        const injected = this.injected[`${service.name} ${version.name}`];
        if (injected) faults[version.name] = { ...injected, injected: true };
        else if (version.faults) faults[version.name] = { ...version.faults, injected: false };
      }
      return {
        service: service.name,
        edges: this.topology.services
          .filter((s) => (s.backends ?? []).some((b) => b.service === service.name))
          .map((s) => `${s.name} → ${service.name}`),
        ...(retries
          ? { retries: `${retries.attempts} more tries on ${retries.on.join(', ')}` }
          : {}),
        ...(fresh ? { retriesPerSecond: fresh.retries, callsPerSecond: fresh.calls } : {}),
        ...(outliers
          ? {
              outlierDetection: `eject after ${outliers.consecutive5xx} failures in a row for ${outliers.ejectMs} ms, at most ${outliers.maxEjectionPercent}%`,
            }
          : {}),
        ejected: service.versions
          .map((v) => v.name)
          .filter((v) => (this.ejectedUntil.get(`${service.name} ${v}`) ?? 0) > now),
        faults,
        versions: hasRouter(service) ? service.versions.map((v) => v.name) : [],
      };
    });
  }
}
