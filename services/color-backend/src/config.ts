import { env, serverSettings, upstreamSettings } from '@color-teller/service-kit';
import type { ConfigOf, EnvSource } from '@color-teller/service-kit';
import { knownHexOf, parseHex } from './color-hex';

const { UPSTREAM_CONNECT_TIMEOUT_MS, UPSTREAM_RESPONSE_TIMEOUT_MS } = upstreamSettings();

/** With the Color Name API configured, the color must have a hex: a known name or COLOR_HEX. */
function hexProblems(source: EnvSource): string[] {
  if (source.COLOR_HEX?.trim() || knownHexOf(source.COLOR ?? '')) return [];
  return [
    `COLOR_HEX is required with COLORNAMES_BACKEND when COLOR=${JSON.stringify(source.COLOR ?? '')} is not a known color name: set it to six hex digits such as #ff0000`,
  ];
}

export const backendSettings = {
  ...serverSettings(3000),
  COLOR: env.string({ example: 'blue' }),
  // The Color Name API (the runner's egress forwarder locally); unset: GET /name answers 404.
  COLORNAMES_BACKEND: {
    ...env.httpUrl({ example: 'https://api.color.pizza/v1' }),
    fallback: null,
    requires: hexProblems,
  },
  // The hex the API is asked to name; @default - the hex of COLOR when it is a known name.
  COLOR_HEX: {
    expected: 'six hex digits such as #ff0000',
    fallback: null,
    parse: parseHex,
  },
  UPSTREAM_CONNECT_TIMEOUT_MS,
  UPSTREAM_RESPONSE_TIMEOUT_MS,
} as const;

export type BackendConfig = ConfigOf<typeof backendSettings>;
