import { MeshProvider } from '@color-teller/mesh-constructs';

export const MESH_FLAVORS = ['service-connect', 'appmesh'] as const;
export type MeshFlavorName = (typeof MESH_FLAVORS)[number];

/** `-c mesh=...` to a provider; unknown values fail naming the accepted ones. */
export function providerFor(flavor: string | undefined): MeshProvider {
  switch (flavor ?? 'service-connect') {
    case 'service-connect':
      return MeshProvider.serviceConnect();
    case 'appmesh':
      return MeshProvider.appMesh();
    default:
      throw new Error(
        `-c mesh=${flavor} is not a flavor: use -c mesh=service-connect (the default) or -c mesh=appmesh`,
      );
  }
}

/** `-c deletionProtection=true`: context values arrive as strings from the CLI. */
export function booleanContext(value: unknown, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`-c ${name}=${String(value)} is not a boolean: use true or false`);
}
