import { maxEjectedVersions } from '@color-teller/topology';
import type { OutlierDetectionSpec } from '@color-teller/topology';

/** A change the router reports: a version taken out of rotation, or back in. */
export type EjectionEvent =
  | { readonly kind: 'ejected'; readonly version: string; readonly forMs: number }
  | { readonly kind: 'returned'; readonly version: string };

/**
 * Outlier detection of one service's versions: `consecutive5xx` failed tries in a row eject a
 * version for `ejectMs`, unless as many versions as `maxEjectionPercent` allows are out already
 * (never the last one). A version is back when its time is up, with a clean count. `now` is in
 * milliseconds, injectable for tests.
 */
export class OutlierTracker {
  private readonly failures = new Map<string, number>();
  private readonly ejectedUntil = new Map<string, number>();

  constructor(
    private policy: Required<OutlierDetectionSpec> | undefined,
    private versions: readonly string[],
    private readonly onEvent: (event: EjectionEvent) => void = () => {},
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A new plan: the policy or the versions changed; ejections of versions still there stay. */
  reconfigure(policy: Required<OutlierDetectionSpec> | undefined, versions: readonly string[]) {
    this.policy = policy;
    this.versions = versions;
    for (const version of [...this.ejectedUntil.keys()]) {
      if (!policy || !versions.includes(version)) this.release(version);
    }
  }

  /** One try to `version` ended: `ok` for an answer below 500. */
  record(version: string, ok: boolean): void {
    if (!this.policy || !this.versions.includes(version)) return;
    if (ok) {
      this.failures.set(version, 0);
      return;
    }
    const failures = (this.failures.get(version) ?? 0) + 1;
    this.failures.set(version, failures);
    if (failures < this.policy.consecutive5xx || this.isEjected(version)) return;
    if (this.ejected().length >= maxEjectedVersions(this.policy, this.versions.length)) return;
    this.ejectedUntil.set(version, this.now() + this.policy.ejectMs);
    this.failures.set(version, 0);
    this.onEvent({ kind: 'ejected', version, forMs: this.policy.ejectMs });
  }

  /** True while `version` is out of rotation. */
  isEjected(version: string): boolean {
    const until = this.ejectedUntil.get(version);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    this.release(version);
    return false;
  }

  /** The versions out of rotation now. */
  ejected(): string[] {
    return this.versions.filter((version) => this.isEjected(version));
  }

  private release(version: string): void {
    this.ejectedUntil.delete(version);
    this.failures.set(version, 0);
    this.onEvent({ kind: 'returned', version });
  }
}
