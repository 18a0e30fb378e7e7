import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ColorChart } from '../src/color-chart';
import { colorReceived, EMPTY_HISTORY } from '../src/color-history';

afterEach(cleanup);

function samplesOf(colors: string[]) {
  return colors.reduce(colorReceived, EMPTY_HISTORY).samples;
}

describe('the color chart', () => {
  it('draws an 80/20 rollout as cells and counts, the larger color first', () => {
    const colors = Array.from({ length: 50 }, (_, index) => (index % 5 === 4 ? 'blue' : 'red'));
    render(<ColorChart samples={samplesOf(colors)} />);

    const cells = screen.getAllByTestId('chart-sample');
    expect(cells).toHaveLength(50);
    expect(cells[4]?.style.backgroundColor).toBe('blue');
    expect(screen.getAllByTestId('chart-count').map((count) => count.textContent)).toEqual([
      '40 (80%)',
      '10 (20%)',
    ]);
  });

  it('is empty but present before the first poll', () => {
    render(<ColorChart samples={[]} />);

    expect(screen.getByTestId('chart').textContent).toContain('last 0 of 50 polls');
    expect(screen.queryAllByTestId('chart-sample')).toHaveLength(0);
    expect(screen.queryAllByTestId('chart-count')).toHaveLength(0);
  });

  it('names a value that is not a CSS color but never styles it', () => {
    const hostile = 'red;background:url(/x)';
    render(<ColorChart samples={samplesOf([hostile])} />);

    const cell = screen.getByTestId('chart-sample');
    expect(cell.dataset.color).toBe(hostile);
    expect(cell.getAttribute('style')).toBeNull();
    expect(screen.getByTestId('chart-count').dataset.color).toBe(hostile);
  });
});
