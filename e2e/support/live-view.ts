import type { Browser, Page } from 'playwright-core';
import { startLocalMesh } from '@color-teller/local-mesh';
import type { LocalMesh, LocalMeshOptions } from '@color-teller/local-mesh';
import { launchChromium } from './browser';

/** A running system with its live view, and a browser page open on that view. */
export interface OpenLiveView {
  readonly mesh: LocalMesh;
  readonly browser: Browser;
  readonly page: Page;
  /** Closes the browser, then stops the system. */
  close(): Promise<void>;
}

/** Starts the system (on free ports, its view on) while the browser starts, then opens the view. */
export async function openLiveView(
  options: Omit<LocalMeshOptions, 'topology' | 'ingressPort' | 'viewPort'> & {
    readonly topology: LocalMeshOptions['topology'] | Promise<LocalMeshOptions['topology']>;
  },
): Promise<OpenLiveView> {
  const [mesh, browser] = await Promise.all([
    Promise.resolve(options.topology).then((topology) =>
      startLocalMesh({ ...options, topology, ingressPort: 0, viewPort: 0 }),
    ),
    launchChromium(),
  ]);
  const page = await browser.newPage();
  await page.goto(mesh.viewUrl!);
  return {
    mesh,
    browser,
    page,
    close: async () => {
      await browser.close();
      await mesh.stop();
    },
  };
}
