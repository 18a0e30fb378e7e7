/** A failure the user can fix, told in one line (the CLI prints only the message). */
export class LocalMeshError extends Error {
  override readonly name = 'LocalMeshError';
}
