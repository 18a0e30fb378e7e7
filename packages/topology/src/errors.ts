/**
 * Every problem found at once, one per line, so that a user fixes them all in one go. Base of the
 * topology's own errors and of every renderer's (a mesh flavor that cannot express something).
 */
export class ProblemListError extends Error {
  constructor(
    summary: string,
    readonly problems: readonly string[],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`${summary} (${count}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Every problem found in a topology. */
export class TopologyError extends ProblemListError {
  override readonly name = 'TopologyError';

  constructor(
    readonly topologyName: string,
    problems: readonly string[],
  ) {
    super(`Topology "${topologyName}" is invalid`, problems);
  }
}

/** A topology file that cannot be read: missing, not importable or without a default export. */
export class TopologyLoadError extends Error {
  override readonly name = 'TopologyLoadError';
}
