import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendStatus } from '../src/backend-status';
import { Banner } from '../src/banner';

afterEach(cleanup);

describe('the banner', () => {
  it('paints the color with white text when the color is dark', () => {
    render(<Banner color="navy" stale={false} />);

    const banner = screen.getByTestId('banner');
    expect(banner.style.backgroundColor).toBe('navy');
    expect(banner.classList.contains('banner--text-white')).toBe(true);
    expect(banner.textContent).toContain('navy');
  });

  it('paints the color with black text when the color is light', () => {
    render(<Banner color="yellow" stale={false} />);

    expect(screen.getByTestId('banner').classList.contains('banner--text-black')).toBe(true);
  });

  it('shows a value that is not a CSS color as text only, without a style', () => {
    const hostile = 'red; background: url(https://evil.example/)';
    render(<Banner color={hostile} stale={false} />);

    const banner = screen.getByTestId('banner');
    expect(banner.getAttribute('style')).toBeNull();
    expect(banner.classList.contains('banner--neutral')).toBe(true);
    expect(banner.textContent).toContain(hostile);
    expect(banner.textContent).toContain('not a CSS color');
  });

  it('says it is waiting before the first color arrives', () => {
    render(<Banner stale={false} />);

    const banner = screen.getByTestId('banner');
    expect(banner.textContent).toContain('waiting for the first color');
    expect(banner.getAttribute('style')).toBeNull();
  });

  it('keeps the last color but marks it stale', () => {
    render(<Banner color="red" stale />);

    const banner = screen.getByTestId('banner');
    expect(banner.dataset.stale).toBe('true');
    expect(banner.style.backgroundColor).toBe('red');
    expect(banner.textContent).toContain('stale');
  });
});

describe('the backend status', () => {
  it('renders nothing while the backend answers', () => {
    const { container } = render(<BackendStatus />);

    expect(container.innerHTML).toBe('');
  });

  it('gives the local time of the first failure as HH:MM:SS', () => {
    render(<BackendStatus failingSince={new Date(2026, 0, 2, 9, 5, 7)} />);

    expect(screen.getByTestId('backend-status').textContent).toBe(
      'backend unavailable since 09:05:07',
    );
  });
});
