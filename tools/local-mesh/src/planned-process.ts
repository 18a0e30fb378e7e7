/** One process of the local system, before it runs. */
export interface PlannedProcess {
  readonly service: string;
  /** The version's name, or `router` for the router in front of a service's versions. */
  readonly version: string;
  readonly role: 'service' | 'router' | 'egress';
  readonly port: number;
  readonly url: string;
  /** Where start-up waits for a 200. */
  readonly healthUrl: string;
  /** The process's own env (the runner adds its inherited env under it). */
  readonly env: Readonly<Record<string, string>>;
  /** The service's bundle; unset for routers, which the runner starts from its own code. */
  readonly entry?: string;
  /** A program in any language (the topology's `command`), run in {@link cwd} instead of a bundle. */
  readonly command?: readonly string[];
  /** The service's folder, where its `command` runs. */
  readonly cwd?: string;
}
