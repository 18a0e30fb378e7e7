/** Where in the input something was found: a file, and a line and resource when known. */
export interface Place {
  readonly file: string;
  readonly line?: number;
  /** The logical ID of the resource, e.g. `ColorRouterRoute`. */
  readonly resource?: string;
}

export function formatPlace(place: Place): string {
  const at = place.line === undefined ? place.file : `${place.file}:${place.line}`;
  return place.resource ? `${at} (resource ${place.resource})` : at;
}

/**
 * Input the importer cannot turn into a topology: one message naming the file, the place and the
 * fix. The command prints it and exits 2 without writing anything.
 */
export class ImportError extends Error {
  constructor(
    readonly place: Place,
    problem: string,
  ) {
    super(`${formatPlace(place)}: ${problem}`);
    this.name = 'ImportError';
  }
}
