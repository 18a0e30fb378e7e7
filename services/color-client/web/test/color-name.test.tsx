import { act, cleanup, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App, COLOR_URL, VERSION_URL } from '../src/app';
import { NAME_URL } from '../src/color-name';
import type { PageConfig } from '../src/config';
import { FakeGateway } from './fake-gateway';

const POLL_MS = 1_000;
const config: PageConfig = { pollMs: POLL_MS, requestTimeoutMs: 400 };
let gateway: FakeGateway;

beforeEach(() => {
  vi.useFakeTimers();
  gateway = new FakeGateway()
    .answer(COLOR_URL, { status: 200, body: { color: 'red' } })
    .answer(VERSION_URL, { status: 200, body: { version: 'vanilla' } });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

async function advance(ms: number): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

async function renderApp(): Promise<void> {
  gateway.install();
  render(<App config={config} />);
  await advance(0);
}

describe('the color name on the page', () => {
  it('shows the name the backend got from the Color Name API, next to the color', async () => {
    gateway.answer(NAME_URL, { status: 200, body: { color: 'red', name: 'Red Alert' } });
    await renderApp();
    await advance(POLL_MS);
    expect(screen.getByTestId('color-name').textContent).toContain('Red Alert');
  });

  it('asks once per color shown, not on every poll', async () => {
    gateway.answer(NAME_URL, { status: 200, body: { color: 'red', name: 'Red Alert' } });
    await renderApp();
    await advance(POLL_MS * 5);
    expect(gateway.callsTo(COLOR_URL)).toBeGreaterThanOrEqual(5);
    expect(gateway.callsTo(NAME_URL)).toBe(1);
  });

  it('shows nothing when the backend has no Color Name API (404)', async () => {
    gateway.answer(NAME_URL, { status: 404, body: { error: 'not_configured' } });
    await renderApp();
    await advance(POLL_MS);
    expect(gateway.callsTo(NAME_URL)).toBeGreaterThan(0);
    expect(screen.queryByTestId('color-name')).toBeNull();
  });

  it('stops asking after a 404, even when the color changes', async () => {
    gateway.answer(NAME_URL, { status: 404, body: { error: 'not_configured' } });
    await renderApp();
    await advance(POLL_MS);
    gateway.answer(COLOR_URL, { status: 200, body: { color: 'blue' } });
    await advance(POLL_MS * 3);
    expect(screen.getByTestId('banner').textContent).toContain('blue');
    expect(gateway.callsTo(NAME_URL)).toBe(1);
  });

  it('asks again for a new color after a failure other than 404', async () => {
    gateway.answer(NAME_URL, { status: 502, body: { error: 'colornames_unavailable' } });
    await renderApp();
    await advance(POLL_MS);
    gateway.answer(COLOR_URL, { status: 200, body: { color: 'blue' } });
    gateway.answer(NAME_URL, { status: 200, body: { color: 'blue', name: 'Blue Moon' } });
    await advance(POLL_MS * 3);
    await advance(0);
    expect(gateway.callsTo(NAME_URL)).toBe(2);
    expect(screen.getByTestId('color-name').textContent).toContain('Blue Moon');
  });

  it('shows nothing when the name is of another color than the one shown', async () => {
    gateway.answer(NAME_URL, { status: 200, body: { color: 'blue', name: 'Blue Moon' } });
    await renderApp();
    await advance(POLL_MS);
    expect(gateway.callsTo(NAME_URL)).toBe(1);
    expect(screen.queryByTestId('color-name')).toBeNull();
  });
});
