import type { FaultsSpec, Topology } from '@color-teller/topology';

/**
 * Faults injected from the live view, kept in memory over the topology file rather than written
 * into it: the file is the user's own source (often TypeScript with imports and comments, often
 * tracked by git), and a rehearsal must not become a committed change by accident. Each is shown
 * with a marker in the view until cleared; it lasts until cleared or until the runner stops, and
 * it wins over the file's faults of the same version.
 */
export class InjectedFaults {
  private readonly faults = new Map<string, FaultsSpec>();

  set(service: string, version: string, faults: FaultsSpec): void {
    this.faults.set(`${service} ${version}`, faults);
  }

  /** True when there was one to clear. */
  clear(service: string, version: string): boolean {
    return this.faults.delete(`${service} ${version}`);
  }

  /** The processes (`service version`) with an injected fault, and what it is. */
  all(): Record<string, FaultsSpec> {
    return Object.fromEntries(this.faults);
  }

  /** `topology` with the injected faults laid over its versions. */
  over(topology: Topology): Topology {
    if (this.faults.size === 0) return topology;
    return {
      ...topology,
      services: topology.services.map((service) => ({
        ...service,
        versions: service.versions.map((version) => {
          const faults = this.faults.get(`${service.name} ${version.name}`);
          return faults ? { ...version, faults } : version;
        }),
      })),
    };
  }
}
