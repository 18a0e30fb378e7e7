import { useEffect, useRef } from 'preact/hooks';

export type PollResult<T> =
  | { readonly ok: true; readonly value: T; readonly at: Date }
  | { readonly ok: false; readonly error: unknown; readonly at: Date };

export type PollingOptions<T> = {
  /** Performs one poll; must give up when `signal` aborts. */
  readonly load: (signal: AbortSignal) => Promise<T>;
  /** Time from the start of one poll to the start of the next. */
  readonly intervalMs: number;
  /** Receives every completed poll, success or failure (never an aborted one). */
  readonly onResult: (result: PollResult<T>) => void;
};

/**
 * Runs `load` now and then every `intervalMs` while the component is mounted and the document
 * visible. The next poll is scheduled only once the previous one settled, so two polls never
 * overlap; a slow poll delays the next instead of piling up. Hiding the document aborts the
 * poll in flight and stops the schedule; showing it again polls at once.
 */
export function usePolling<T>({ load, intervalMs, onResult }: PollingOptions<T>): void {
  // The latest callbacks, without restarting the schedule when a render creates new closures.
  const latest = useRef({ load, onResult });
  latest.current = { load, onResult };

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight: AbortController | undefined;
    let unmounted = false;
    const isHidden = (): boolean => document.visibilityState === 'hidden';

    const cancelTimer = (): void => {
      clearTimeout(timer);
      timer = undefined;
    };

    const pollOnce = async (): Promise<void> => {
      cancelTimer();
      if (unmounted || inFlight || isHidden()) return;
      const controller = new AbortController();
      inFlight = controller;
      const startedAt = Date.now();
      let result: PollResult<T>;
      try {
        result = { ok: true, value: await latest.current.load(controller.signal), at: new Date() };
      } catch (error) {
        result = { ok: false, error, at: new Date() };
      }
      if (controller.signal.aborted) return;
      inFlight = undefined;
      latest.current.onResult(result);
      if (unmounted || isHidden()) return;
      const elapsedMs = Date.now() - startedAt;
      timer = setTimeout(() => void pollOnce(), Math.max(0, intervalMs - elapsedMs));
    };

    const onVisibilityChange = (): void => {
      if (isHidden()) {
        cancelTimer();
        inFlight?.abort();
        inFlight = undefined;
      } else {
        void pollOnce();
      }
    };

    document.addEventListener('visibilitychange', onVisibilityChange);
    void pollOnce();
    return () => {
      unmounted = true;
      document.removeEventListener('visibilitychange', onVisibilityChange);
      cancelTimer();
      inFlight?.abort();
    };
  }, [intervalMs]);
}
