import { act, cleanup, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App, COLOR_URL, VERSION_URL } from '../src/app';
import type { PageConfig } from '../src/config';
import { FakeGateway, setDocumentVisibility } from './fake-gateway';

const POLL_MS = 1_000;
const config: PageConfig = { pollMs: POLL_MS, requestTimeoutMs: 400 };

let gateway: FakeGateway;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date(2026, 10, 25, 12, 3, 0) });
  gateway = new FakeGateway()
    .answer(COLOR_URL, { status: 200, body: { color: 'red' } })
    .answer(VERSION_URL, { status: 200, body: { version: 'vanilla' } })
    .install();
});

afterEach(() => {
  cleanup();
  setDocumentVisibility('visible');
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Lets time pass inside act(), so timers fire, fetches settle and Preact re-renders. */
async function advance(ms: number): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

async function renderApp(): Promise<void> {
  render(<App config={config} />);
  await advance(0);
}

describe('the Color Teller page', () => {
  it('shows the title, the received color on the banner and the version', async () => {
    await renderApp();

    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Color Teller');
    const banner = screen.getByTestId('banner');
    expect(banner.textContent).toContain('red');
    expect(banner.style.backgroundColor).toBe('red');
    expect(banner.dataset.stale).toBe('false');
    expect(screen.getByTestId('version').textContent).toBe('vanilla');
    expect(screen.queryByTestId('backend-status')).toBeNull();
  });

  it('sends the browser cookies along (same-origin) so cookie routes apply', async () => {
    await renderApp();

    expect(gateway.calls.length).toBeGreaterThan(0);
    for (const call of gateway.calls) expect(call.init?.credentials).toBe('same-origin');
  });

  it('follows a color change on the next poll', async () => {
    await renderApp();
    gateway.answer(COLOR_URL, { status: 200, body: { color: 'blue' } });

    await advance(POLL_MS);

    expect(screen.getByTestId('banner').textContent).toContain('blue');
    expect(screen.getByTestId('banner').style.backgroundColor).toBe('blue');
  });

  it('marks the last color stale and says since when the backend is unavailable, then recovers', async () => {
    await renderApp();
    gateway.answer(COLOR_URL, { status: 502, body: { error: 'backend_unavailable' } });

    await advance(POLL_MS);
    const banner = screen.getByTestId('banner');
    expect(banner.dataset.stale).toBe('true');
    expect(banner.textContent).toContain('red');
    expect(banner.style.backgroundColor).toBe('red');
    expect(screen.getByTestId('backend-status').textContent).toBe(
      'backend unavailable since 12:03:01',
    );

    // The "since" stays at the first failure while failures continue.
    gateway.answer(COLOR_URL, 'network-error');
    await advance(POLL_MS);
    expect(screen.getByTestId('backend-status').textContent).toBe(
      'backend unavailable since 12:03:01',
    );

    gateway.answer(COLOR_URL, { status: 200, body: { color: 'blue' } });
    await advance(POLL_MS);
    expect(screen.queryByTestId('backend-status')).toBeNull();
    expect(screen.getByTestId('banner').dataset.stale).toBe('false');
    expect(screen.getByTestId('banner').textContent).toContain('blue');
  });

  it('treats a request with no answer within the timeout as a failure', async () => {
    gateway.answer(COLOR_URL, 'hang');
    await renderApp();

    await advance(config.requestTimeoutMs);

    expect(screen.getByTestId('backend-status').textContent).toBe(
      'backend unavailable since 12:03:00',
    );
    expect(screen.getByTestId('banner').dataset.stale).toBe('true');
  });

  it('treats an answer without a color as a failure', async () => {
    gateway.answer(COLOR_URL, { status: 200, body: { colour: 'red' } });
    await renderApp();

    expect(screen.getByTestId('backend-status').textContent).toBe(
      'backend unavailable since 12:03:00',
    );
  });

  it('charts every received color, oldest first, with a count per color', async () => {
    const sequence = ['red', 'red', 'blue', 'red', 'blue', 'red', 'red', 'red', 'red', 'blue'];
    gateway.answer(COLOR_URL, { status: 200, body: { color: sequence[0] } });
    await renderApp();
    for (const color of sequence.slice(1)) {
      gateway.answer(COLOR_URL, { status: 200, body: { color } });
      await advance(POLL_MS);
    }

    const chart = screen.getByTestId('chart');
    const samples = [...chart.querySelectorAll<HTMLElement>('[data-testid=chart-sample]')];
    expect(samples.map((sample) => sample.dataset.color)).toEqual(sequence);
    const counts = [...chart.querySelectorAll<HTMLElement>('[data-testid=chart-count]')];
    expect(counts.map((count) => [count.dataset.color, count.textContent])).toEqual([
      ['red', '7 (70%)'],
      ['blue', '3 (30%)'],
    ]);
  });

  it('keeps only the last 50 polls in the chart', async () => {
    await renderApp();
    await advance(54 * POLL_MS);
    gateway.answer(COLOR_URL, { status: 200, body: { color: 'blue' } });
    await advance(POLL_MS);

    const samples = screen.getAllByTestId('chart-sample');
    expect(samples).toHaveLength(50);
    expect(samples.at(-1)?.dataset.color).toBe('blue');
    const counts = screen.getAllByTestId('chart-count').map((count) => count.textContent);
    expect(counts).toEqual(['49 (98%)', '1 (2%)']);
  });

  it('never has two requests of a kind in flight, even when one outlasts several intervals', async () => {
    gateway.answer(COLOR_URL, 'hang').answer(VERSION_URL, 'hang');
    render(<App config={{ pollMs: 100, requestTimeoutMs: 10_000 }} />);

    await advance(2_000);
    // A "visible" event (e.g. after prerendering) must not start a second request either.
    setDocumentVisibility('visible');
    await advance(0);
    expect(gateway.callsTo(COLOR_URL)).toBe(1);
    expect(gateway.callsTo(VERSION_URL)).toBe(1);

    gateway.answer(COLOR_URL, { status: 200, body: { color: 'red' } });
    gateway.answer(VERSION_URL, { status: 200, body: { version: 'vanilla' } });
    gateway.releaseHanging();
    await advance(0);
    // The next poll starts at once: its interval has long passed.
    expect(gateway.callsTo(COLOR_URL)).toBe(2);
    await advance(1_000);

    expect(gateway.callsTo(COLOR_URL)).toBe(12);
    expect(gateway.maxInFlight.get(COLOR_URL)).toBe(1);
    expect(gateway.maxInFlight.get(VERSION_URL)).toBe(1);
  });

  it('stops polling while the document is hidden and polls at once when it is visible again', async () => {
    await renderApp();
    const before = gateway.calls.length;

    setDocumentVisibility('hidden');
    await advance(10 * POLL_MS);
    expect(gateway.calls.length).toBe(before);

    setDocumentVisibility('visible');
    await advance(0);
    expect(gateway.callsTo(COLOR_URL)).toBe(2);
    expect(gateway.callsTo(VERSION_URL)).toBe(2);
  });

  it('stops polling when unmounted', async () => {
    const { unmount } = render(<App config={config} />);
    await advance(0);
    const before = gateway.calls.length;

    unmount();
    await advance(10 * POLL_MS);

    expect(gateway.calls.length).toBe(before);
  });
});
