import { useEffect, useRef, useState } from 'preact/hooks';
import type { PageConfig } from './config';
import { fetchJson, RequestFailed, stringField } from './fetch-json';

export const NAME_URL = '/gateway/color/name';

/**
 * The outside Color Name API's name for `color`, asked once per color shown (not per poll: it is
 * a third party's API) and kept per color; undefined while unknown, not configured or failing.
 * A 404 (the backend has no Color Name API) stops the asking for the page's life.
 */
export function useColorName(color: string | undefined, config: PageConfig): string | undefined {
  const names = useRef(new Map<string, string>());
  const notConfigured = useRef(false);
  const [, setLearned] = useState(0);
  useEffect(() => {
    if (color === undefined || names.current.has(color) || notConfigured.current) return;
    const controller = new AbortController();
    fetchJson(NAME_URL, { signal: controller.signal, timeoutMs: config.requestTimeoutMs })
      .then((body) => {
        // Another version may have answered: its name is kept for its own color.
        names.current.set(
          stringField(body, 'color', NAME_URL),
          stringField(body, 'name', NAME_URL),
        );
        setLearned((count) => count + 1);
      })
      .catch((error: unknown) => {
        if (error instanceof RequestFailed && error.status === 404) notConfigured.current = true;
      });
    return () => controller.abort();
  }, [color, config.requestTimeoutMs]);
  return color === undefined ? undefined : names.current.get(color);
}

/** One line under the banner naming the color; nothing while there is no name. */
export function ColorName({ name }: { readonly name?: string }) {
  if (name === undefined) return null;
  return (
    <p class="color-name" data-testid="color-name">
      a.k.a. <strong>{name}</strong> <span class="color-name-source">(Color Name API)</span>
    </p>
  );
}
