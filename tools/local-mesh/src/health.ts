/** Polls `url` until it answers 200; rejects when `gaveUp` settles first or after `timeoutMs`. */
export async function waitForHealthy(
  url: string,
  options: { timeoutMs: number; gaveUp?: Promise<string>; intervalMs?: number },
): Promise<void> {
  const interval = options.intervalMs ?? 100;
  const deadline = Date.now() + options.timeoutMs;
  let reason: string | undefined;
  void options.gaveUp?.then((why) => (reason = why));
  let last = 'no answer yet';
  for (;;) {
    if (reason !== undefined) throw new Error(reason);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).cause ? String((error as Error).cause) : (error as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} was not healthy after ${options.timeoutMs} ms (${last})`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
