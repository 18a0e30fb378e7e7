import { useCallback, useState } from 'preact/hooks';
import { BackendStatus } from './backend-status';
import { Banner } from './banner';
import { ColorChart } from './color-chart';
import { ColorName, useColorName } from './color-name';
import { colorFailed, colorReceived, EMPTY_HISTORY } from './color-history';
import type { PageConfig } from './config';
import { fetchJson, stringField } from './fetch-json';
import { usePolling } from './use-polling';
import type { PollResult } from './use-polling';

export const COLOR_URL = '/gateway/color/color';
export const VERSION_URL = '/gateway/version';

/** Polls one endpoint for one string field. */
function useStringPoll(
  url: string,
  field: string,
  config: PageConfig,
  onResult: (result: PollResult<string>) => void,
): void {
  const load = useCallback(
    async (signal: AbortSignal) =>
      stringField(await fetchJson(url, { signal, timeoutMs: config.requestTimeoutMs }), field, url),
    [url, field, config.requestTimeoutMs],
  );
  usePolling({ load, intervalMs: config.pollMs, onResult });
}

export function App({ config }: { readonly config: PageConfig }) {
  const [history, setHistory] = useState(EMPTY_HISTORY);
  const [version, setVersion] = useState<string>();

  useStringPoll(COLOR_URL, 'color', config, (result) =>
    setHistory((previous) =>
      result.ok ? colorReceived(previous, result.value) : colorFailed(previous, result.at),
    ),
  );
  // A failed version poll keeps the last version shown; the color poll reports the outage.
  useStringPoll(VERSION_URL, 'version', config, (result) => {
    if (result.ok) setVersion(result.value);
  });

  const colorName = useColorName(history.current, config);
  const stale = history.failingSince !== undefined;
  return (
    <main class="page">
      <header class="page-header">
        <h1 class="page-title">Color Teller</h1>
        <p class="page-version">
          version <span data-testid="version">{version ?? '…'}</span>
        </p>
      </header>
      <Banner color={history.current} stale={stale} />
      <ColorName name={colorName} />
      <BackendStatus failingSince={history.failingSince} />
      <ColorChart samples={history.samples} />
    </main>
  );
}
