/** Why the name could not be had; `statusCode` is what the caller of `/name` gets. */
export class ColorNameFailure extends Error {
  constructor(
    readonly statusCode: 502 | 504,
    readonly code: 'colornames_unavailable' | 'colornames_timeout' | 'colornames_bad_answer',
    message: string,
  ) {
    super(message);
    this.name = 'ColorNameFailure';
  }
}
