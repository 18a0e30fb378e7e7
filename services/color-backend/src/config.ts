import { env, serverSettings } from '@color-teller/service-kit';
import type { ConfigOf } from '@color-teller/service-kit';

export const backendSettings = {
  ...serverSettings(3000),
  COLOR: env.string({ example: 'blue' }),
} as const;

export type BackendConfig = ConfigOf<typeof backendSettings>;
