// Global set-up of the e2e project: one Chromium for the whole run. Each test file connects to
// it (launchChromium in browser.ts) instead of starting its own, which took a second or more
// of both cores per file.
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { chromiumOptions } from './browser';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Chromium's WebSocket endpoint, for `chromium.connect`. */
    chromiumEndpoint: string;
  }
}

export default async function startSharedBrowser(
  project: TestProject,
): Promise<() => Promise<void>> {
  const server = await chromium.launchServer(chromiumOptions());
  project.provide('chromiumEndpoint', server.wsEndpoint());
  return () => server.close();
}
