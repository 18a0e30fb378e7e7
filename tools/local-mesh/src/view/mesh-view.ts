import type { FaultsSpec, Topology } from '@color-teller/topology';
import { hasRouter } from '../routed';
import type { RouterMessage } from '../router/channel';
import { graphOf } from './graph';
import type { ViewGraph } from './graph';
import { PolicyState, type ServicePolicyView } from './policy-state';
import type { ProcessState } from './process-states';
import { readRequestLine, requestOfLine } from './request-line';
import type { LoggedRequest } from './request-line';
import { RequestStats } from './request-stats';
import type { RequestFigures } from './request-stats';
import { SpanWindow } from './span-window';
import type { ViewSpan } from './span-window';

/** Everything the page shows at one moment. */
export interface ViewSnapshot {
  readonly name: string;
  readonly graph: ViewGraph;
  /** Request figures per process label. */
  readonly figures: Readonly<Record<string, RequestFigures & { sharePercent?: number }>>;
  readonly processes: readonly ProcessState[];
  readonly recent: readonly LoggedRequest[];
  /** Retries, ejections and faults per service. */
  readonly policy: readonly ServicePolicyView[];
}

const RECENT_REQUESTS = 30;

/** The runner's live picture: fed log lines and OTLP exports, read as snapshots. */
export class MeshView {
  private readonly stats = new RequestStats();
  private readonly spans = new SpanWindow();
  /** The last request lines, a ring: only the few shown are parsed whole, once a second. */
  private readonly recentLines: string[] = [];
  private nextRecent = 0;
  private readonly policy: PolicyState;
  private graph: ViewGraph;
  private name: string;
  /** Versions behind a router: their figures are what the router measured, not what they log. */
  private routed = new Set<string>();
  readonly #readsItself = (label: string) => !this.routed.has(label);

  constructor(
    topology: Topology,
    private readonly processStates: () => ProcessState[],
  ) {
    this.graph = graphOf(topology);
    this.name = topology.name;
    this.routed = routedVersions(topology);
    this.policy = new PolicyState(topology);
  }

  /** Shows a topology applied while running (weights, routes, policy; `injected`: from the view). */
  setTopology(topology: Topology, injected: Record<string, FaultsSpec> = {}): void {
    this.graph = graphOf(topology);
    this.name = topology.name;
    this.routed = routedVersions(topology);
    this.policy.setTopology(topology, injected);
  }

  /**
   * Takes one `[label] …` line of a process: a request line counts for its process (unless a
   * router counts that process), and is kept as it is for the recent list, read when shown.
   */
  onLine(line: string): void {
    // A routed version's figures come from its router: its own line is only kept, not read.
    const read = readRequestLine(line, this.#readsItself);
    if (read === undefined) return;
    if (read.counted) this.stats.add(read.counted);
    this.recentLines[this.nextRecent] = line;
    this.nextRecent = (this.nextRecent + 1) % RECENT_REQUESTS;
  }

  /** Takes what a router sent: its measured requests (each for the version it went to), its policy's events. */
  onRouterMessage(message: RouterMessage): void {
    if (message.type !== 'requests') {
      this.policy.onRouterMessage(message);
      return;
    }
    const labels = new Map<string, string>();
    for (const [version, status, durationMs] of message.requests) {
      let label = labels.get(version);
      if (label === undefined) labels.set(version, (label = `${message.service} ${version}`));
      this.stats.add({ label, status, durationMs });
    }
  }

  ingestOtlp(body: unknown): number {
    return this.spans.ingest(body);
  }

  trace(traceId: string): ViewSpan[] {
    return this.spans.trace(traceId);
  }

  snapshot(): ViewSnapshot {
    const figures: Record<string, RequestFigures & { sharePercent?: number }> = {};
    for (const node of this.graph.nodes) {
      if (node.process) figures[node.process] = this.stats.figures(node.process);
    }
    // A version's measured share: its requests in the window over those of its service's versions.
    const versionsOf = new Map<string, string[]>();
    for (const node of this.graph.nodes) {
      if (node.kind !== 'version') continue;
      const service = node.id.split(':')[1]!;
      versionsOf.set(service, [...(versionsOf.get(service) ?? []), node.process!]);
    }
    for (const labels of versionsOf.values()) {
      const sum = labels.reduce((total, label) => total + figures[label]!.inWindow, 0);
      for (const label of labels) {
        if (sum > 0)
          figures[label] = {
            ...figures[label]!,
            sharePercent: (figures[label]!.inWindow * 100) / sum,
          };
      }
    }
    return {
      name: this.name,
      graph: this.graph,
      figures,
      processes: this.processStates(),
      recent: this.recent(),
      policy: this.policy.snapshot(),
    };
  }

  /** The recent requests, newest first. */
  private recent(): LoggedRequest[] {
    const n = this.recentLines.length;
    const newestFirst: LoggedRequest[] = [];
    for (let i = 1; i <= n; i++) {
      const request = requestOfLine(this.recentLines[(this.nextRecent - i + n) % n]!);
      if (request) newestFirst.push(request);
    }
    return newestFirst;
  }
}

function routedVersions(topology: Topology): Set<string> {
  return new Set(
    topology.services
      .filter(hasRouter)
      .flatMap((service) => service.versions.map((v) => `${service.name} ${v.name}`)),
  );
}
