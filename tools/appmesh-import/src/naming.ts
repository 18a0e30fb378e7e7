/** Topology names (DNS labels) from App Mesh names, which follow no convention. */

/** Words App Mesh users put in resource names that say nothing about the service. */
const NOISE = new Set(['vn', 'node', 'virtualnode', 'vs', 'vr', 'router', 'service', 'svc']);

/** A lower-case DNS label made of `text`'s letters and digits, or '' when none is left. */
export function dnsLabel(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 63)
    .replace(/-$/, '');
}

function words(name: string): string[] {
  return dnsLabel(name)
    .split('-')
    .filter((word) => word !== '');
}

/** The first label of a DNS name: `color` of `color.color-teller.local`. */
export function firstLabel(hostname: string): string {
  return dnsLabel(hostname.split('.')[0] ?? hostname);
}

/** The words every name starts with (a project prefix such as `howto-ecs-basics-`). */
function commonPrefix(names: readonly string[][]): string[] {
  if (names.length < 2) return [];
  const prefix: string[] = [];
  for (let i = 0; names.every((n) => n.length > i + 1 && n[i] === names[0]![i]); i += 1) {
    prefix.push(names[0]![i]!);
  }
  return prefix;
}

/**
 * Short names for a mesh's node names: noise words and a prefix shared by all of them removed,
 * e.g. `howto-color-v2-node` → `color-v2` when every node starts with `howto-`.
 */
export function shortNodeNames(nodeNames: readonly string[]): Map<string, string> {
  const split = nodeNames.map((name) => words(name).filter((word) => !NOISE.has(word)));
  const prefix = commonPrefix(split);
  return new Map(
    nodeNames.map((name, index) => {
      const rest = split[index]!.slice(prefix.length);
      return [name, rest.join('-') || dnsLabel(name)];
    }),
  );
}

/**
 * Version names of one service's nodes: the node's short name without the service's words, e.g.
 * `colorteller-black` of service `colorteller` → `black`; `v1` (or `v1-2`…) when nothing is left.
 */
export function versionNames(service: string, shortNames: readonly string[]): string[] {
  const serviceWords = new Set(words(service));
  const taken = new Set<string>();
  return shortNames.map((short) => {
    const rest = words(short).filter((word) => !serviceWords.has(word));
    let name = rest.join('-') || (shortNames.length === 1 ? 'main' : 'v1');
    for (let n = 2; taken.has(name); n += 1) name = `${rest.join('-') || 'v'}${n}`;
    taken.add(name);
    return name;
  });
}
