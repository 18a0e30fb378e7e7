/**
 * Every image the system pulls, in one place: pinned by digest (what is pulled) with its tag
 * beside it (what it is). The services' Dockerfiles use the Node entries; a test keeps them equal.
 */

export interface PinnedImage {
  readonly repository: string;
  readonly tag: string;
  /** The multi-platform index digest; absent only while no source could confirm one. */
  readonly digest?: string;
  /** Where the digest was read, or why there is none. */
  readonly source: string;
}

export const PINNED_IMAGES = {
  nodeBuild: {
    repository: 'node',
    tag: '22.23.3-bookworm-slim',
    digest: 'sha256:c3de60bf2f9dd0ac6370e6117950ff62d6e339527e7472301c9c78a017978392',
    source:
      'the official multi-platform index of node:22.23.3-bookworm-slim, as public Dockerfiles record it',
  },
  nodeRuntime: {
    repository: 'node',
    tag: '22.23.3-alpine',
    digest: 'sha256:0a7108bf6c7bf5de370ffb1a3ed6be93d405b43ff159f681a8d18c0e2bc2e402',
    source: 'node:22.23.3-alpine as several public Dockerfiles pin it',
  },
  collector: {
    repository: 'public.ecr.aws/aws-observability/aws-otel-collector',
    tag: 'v0.49.0',
    digest: 'sha256:d2bdfff2c377c3d71d78bd5d9ce9862fd535b12134a5739d87a07801297cf9fd',
    source: 'the amd64+arm64 OCI index of v0.49.0, as public deployments pin it',
  },
  xrayDaemon: {
    repository: 'public.ecr.aws/xray/aws-xray-daemon',
    tag: '3.7.0',
    digest: 'sha256:b67576293f4d3a0a155f807244957ed0aa4bc945df1573d62d81380a1d548071',
    source:
      'public.ecr.aws/xray/aws-xray-daemon:3.7.0 as resolved on 2026-09-09 in a public project',
  },
  envoy: {
    repository: 'public.ecr.aws/appmesh/aws-appmesh-envoy',
    tag: 'v1.29.12.2-prod',
    source:
      'no published record of this tag’s digest was found; App Mesh is retired and its flavor never deploys',
  },
} as const satisfies Record<string, PinnedImage>;

/** `repository:tag@digest`, or `repository:tag` for an image whose digest is still unknown. */
export function imageReference(image: PinnedImage): string {
  const tagged = `${image.repository}:${image.tag}`;
  return image.digest ? `${tagged}@${image.digest}` : tagged;
}
