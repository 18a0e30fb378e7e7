import { fileURLToPath } from 'node:url';
import {
  env,
  serverSettings,
  upstreamSettings,
  upstreamSigningSettings,
} from '@color-teller/service-kit/server';
import type { ConfigOf } from '@color-teller/service-kit/server';

// src/ (tsx) and dist/ (the bundle) both sit beside web/, so one relative path serves both.
const BUILT_PAGE_DIR = fileURLToPath(new URL('../web/dist', import.meta.url));

export const clientSettings = {
  ...serverSettings(8080),
  COLOR_BACKEND: env.httpUrl({ example: 'http://color-backend:3000' }),
  VERSION: env.string({ example: 'v1.2.0', fallback: 'local' }),
  STATIC_DIR: env.string({ example: '/app/web/dist', fallback: BUILT_PAGE_DIR }),
  ...upstreamSettings(),
  ...upstreamSigningSettings(),
} as const;

export type ClientConfig = ConfigOf<typeof clientSettings>;
