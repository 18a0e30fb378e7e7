import type { Topology } from './types';

/** Identity function that gives a topology file its types and editor completion. */
export function defineTopology<const T extends Topology>(topology: T): T {
  return topology;
}
