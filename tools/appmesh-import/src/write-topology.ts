/** Writes a topology as a topology module (`export default defineTopology({...})`), as Prettier formats it. */
import type { Topology } from '@color-teller/topology';
import { format, resolveConfig } from 'prettier';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A value as a TypeScript literal; undefined properties are left out. */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    const body = entries.map(
      ([key, item]) => `${IDENTIFIER.test(key) ? key : JSON.stringify(key)}: ${literal(item)}`,
    );
    return `{ ${body.join(', ')} }`;
  }
  // JSON's escapes are TypeScript's; Prettier turns the quotes single.
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export interface TopologySourceOptions {
  /** Where the module will be written; Prettier's configuration is looked up from there. */
  readonly file: string;
  /** Lines on where the topology came from and what to fill in: the module's doc comment. */
  readonly origin: readonly string[];
}

export async function topologySource(
  topology: Topology,
  options: TopologySourceOptions,
): Promise<string> {
  const origin = options.origin.map((line) => line.replace(/\*\//g, '*\\/')).join('\n * ');
  const text = [
    "import { defineTopology } from '@color-teller/topology';",
    '',
    `/**\n * ${origin}\n */`,
    `export default defineTopology(${literal(topology)});`,
    '',
  ].join('\n');
  const config = (await resolveConfig(options.file)) ?? {};
  return format(text, { ...config, filepath: options.file, parser: 'typescript' });
}
