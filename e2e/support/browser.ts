import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, LaunchOptions } from 'playwright-core';
import { inject } from 'vitest';

/** Debian's Chromium; playwright-core never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/** How Chromium starts: headless, Debian's binary, with the closed network in mind. */
export function chromiumOptions(): LaunchOptions {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`,
    );
  }
  return {
    executablePath: CHROMIUM,
    headless: true,
    // Without the networking flags Chromium keeps trying to reach the (closed) network.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  };
}

/**
 * A connection to the run's one Chromium, which the e2e project's global set-up starts
 * (`shared-browser.ts`); closing it closes this file's pages only. Outside that project, a
 * Chromium of its own. A missing browser fails the run (never a skip).
 */
export async function launchChromium(): Promise<Browser> {
  const endpoint = inject('chromiumEndpoint');
  if (endpoint) return chromium.connect(endpoint);
  return chromium.launch(chromiumOptions());
}

/** Where a screenshot goes: `test-artifacts/<name>.png` (git-ignored). */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, `${name}.png`);
}
