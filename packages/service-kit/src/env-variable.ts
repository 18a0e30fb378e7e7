/** The shape of a validated env variable, apart from the loader, so settings modules can declare one. */

/** One environment variable: how to read it, and what a valid value looks like. */
export interface EnvVariable<T> {
  /** What a valid value looks like, shown when the value is missing or wrong. */
  readonly expected: string;
  /** Used when the variable is unset or empty. Absent: the variable is required. */
  readonly fallback?: T;
  /** The parsed value, or undefined when `raw` is not acceptable; `source` holds every variable. */
  readonly parse: (raw: string, source: EnvSource) => T | undefined;
  /**
   * Problems with the other variables this one needs once it is set, each naming its variable.
   * @default - needs no other variable
   */
  readonly requires?: (source: EnvSource) => readonly string[];
}

export type EnvSpec = Readonly<Record<string, EnvVariable<unknown>>>;
export type ConfigOf<S extends EnvSpec> = {
  readonly [K in keyof S]: S[K] extends EnvVariable<infer T> ? T : never;
};
export type EnvSource = Readonly<Record<string, string | undefined>>;
