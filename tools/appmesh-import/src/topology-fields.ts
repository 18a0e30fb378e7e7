/**
 * Which optional topology fields this version of @color-teller/topology has, so the importer
 * emits a value only where the topology can hold it and reports it otherwise.
 */
export const TOPOLOGY_FIELDS = {
  /** `image` on a service: a registry reference run instead of building `codePath`. */
  image: false,
  /** `retries` on a service. */
  retries: true,
  /** `outlierDetection` on a service. */
  outlierDetection: true,
} as const;
