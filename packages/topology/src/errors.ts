/** Every problem found in a topology, thrown once so that a user fixes them all in one go. */
export class TopologyError extends Error {
  override readonly name = 'TopologyError';

  constructor(
    readonly topologyName: string,
    readonly problems: readonly string[],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      `Topology "${topologyName}" is invalid (${count}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** A topology file that cannot be read: missing, not importable or without a default export. */
export class TopologyLoadError extends Error {
  override readonly name = 'TopologyLoadError';
}
