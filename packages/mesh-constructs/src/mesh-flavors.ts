/**
 * The flavors this library renders, as data: the one list every other list (the CDK app's
 * choices, the bench's bill, the tests) iterates. No imports, so anything may import it.
 */

/** A flavor that can no longer deploy: what stopped it and which flavor replaces it. */
export interface FlavorRetirement<Name extends string = string> {
  /** ISO date, e.g. `2026-09-30`. */
  readonly on: string;
  readonly successor: Name;
}

/** What a reader needs to choose a flavor. */
export interface MeshFlavorDescription<Name extends string = string> {
  /** The name `MeshFlavor.named()` and the CDK app's `-c mesh=` take. */
  readonly name: Name;
  /** The AWS product, e.g. `App Mesh`. */
  readonly title: string;
  /** One line: what the flavor renders. */
  readonly summary: string;
  /** @default - the flavor deploys */
  readonly retired?: FlavorRetirement<Name>;
}

const FLAVORS = [
  {
    name: 'service-connect',
    title: 'ECS Service Connect',
    summary: 'ECS Service Connect, OpenTelemetry to X-Ray, ECS native canary/linear/blue-green',
  },
  {
    name: 'vpc-lattice',
    title: 'VPC Lattice',
    summary: 'VPC Lattice service network, weighted target groups, header rules, IAM auth',
  },
  {
    name: 'appmesh',
    title: 'App Mesh',
    summary: "the article's App Mesh design, element by element; synthesizes, never deploys",
    retired: { on: '2026-09-30', successor: 'vpc-lattice' },
  },
] as const satisfies readonly MeshFlavorDescription[];

/** The name of a flavor this library renders. */
export type MeshFlavorName = (typeof FLAVORS)[number]['name'];

/** Every flavor the library renders, the default first. */
export const MESH_FLAVORS: readonly MeshFlavorDescription<MeshFlavorName>[] = FLAVORS;

/** The description of the flavor named `name`, or undefined for a name that is not one. */
export function meshFlavorNamed(name: string): MeshFlavorDescription<MeshFlavorName> | undefined {
  return MESH_FLAVORS.find((entry) => entry.name === name);
}

/** True when `name` is one of `MESH_FLAVORS`. */
export function isMeshFlavorName(name: string): name is MeshFlavorName {
  return meshFlavorNamed(name) !== undefined;
}
