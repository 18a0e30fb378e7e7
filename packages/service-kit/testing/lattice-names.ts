import { fileURLToPath } from 'node:url';

/** A preload (`--import`) that resolves VPC Lattice service names to 127.0.0.1 in a child process. */
export const LATTICE_NAMES_TO_LOOPBACK = fileURLToPath(
  new URL('./lattice-names-to-loopback.mjs', import.meta.url),
);

/** A name of the form Lattice generates for service `name` in `region`. */
export function latticeServiceName(name: string, region: string): string {
  return `${name}-0123456789abcdef0.7d67968.vpc-lattice-svcs.${region}.on.aws`;
}
