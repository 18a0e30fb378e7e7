/** The calls in flight to one upstream: on a pooled connection or waiting for one. */
interface Load {
  inFlight: number;
}

/**
 * Admits calls to each upstream while its connections and queue have room: beyond that a caller
 * is better served by a fast 503 than by a wait that ends in a 504 anyway.
 */
export class UpstreamAdmission {
  private readonly loads = new WeakMap<URL, Load>();

  /** `limit`: connections per upstream plus the calls that may wait for one. */
  constructor(private readonly limit: number) {}

  /** Counts a call in, or returns undefined when the upstream is full; `release` counts it out. */
  admit(upstream: URL): Load | undefined {
    let load = this.loads.get(upstream);
    if (load === undefined) {
      load = { inFlight: 0 };
      this.loads.set(upstream, load);
    }
    if (load.inFlight >= this.limit) return undefined;
    load.inFlight += 1;
    return load;
  }

  release(load: Load): void {
    load.inFlight -= 1;
  }
}
