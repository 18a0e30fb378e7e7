/**
 * Docker image references (distribution's reference grammar, simplified to what a registry
 * accepts): `[registry[:port]/]path[:tag][@sha256:<64 hex>]`.
 */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const REGISTRY = /^[A-Za-z0-9.-]+(?::[0-9]+)?$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The parts of an image reference; `tag` and `digest` are absent when not given. */
export interface ImageReference {
  /** Registry host and repository path, e.g. `public.ecr.aws/acme/orders`. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits a reference; the tag is the part after the last ':' that follows the last '/'. */
export function parseImageReference(reference: string): ImageReference {
  const [named = '', digest] = reference.split('@', 2);
  const lastSlash = named.lastIndexOf('/');
  const colon = named.indexOf(':', lastSlash + 1);
  const repository = colon === -1 ? named : named.slice(0, colon);
  const tag = colon === -1 ? undefined : named.slice(colon + 1);
  return {
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/**
 * Why `reference` cannot be deployed as given (a sentence ending in the fix), or undefined when
 * it is pinned by digest or tagged. An untagged reference would float to whatever `latest` is.
 */
export function imageReferenceProblem(reference: unknown): string | undefined {
  if (typeof reference !== 'string' || reference.trim() === '') {
    return 'is empty: give a registry reference such as "public.ecr.aws/acme/orders:1.4.2", or remove "image" to build codePath\'s Dockerfile';
  }
  const { repository, tag, digest } = parseImageReference(reference);
  const parts = repository.split('/');
  const hasRegistry = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!);
  const registryOk = !hasRegistry || REGISTRY.test(parts[0]!);
  const pathOk = parts.slice(hasRegistry ? 1 : 0).every((part) => PATH_COMPONENT.test(part));
  if (!registryOk || !pathOk || parts.length === 0) {
    return 'is not an image reference: use lower-case "[registry/]repository:tag", e.g. "public.ecr.aws/acme/orders:1.4.2"';
  }
  if (digest !== undefined && !DIGEST.test(digest)) {
    return `has digest "${digest}", which is not "sha256:" and 64 lower-case hex digits: copy the digest the registry shows`;
  }
  if (tag !== undefined && !TAG.test(tag)) {
    return `has tag "${tag}", which is not a valid tag: use letters, digits, '_', '.' or '-' (at most 128), e.g. "1.4.2"`;
  }
  if (digest === undefined && tag === undefined) {
    return `is neither tagged nor pinned by digest: add a tag, e.g. "${repository}:1.4.2", or a digest, "${repository}@sha256:…"`;
  }
  return undefined;
}
