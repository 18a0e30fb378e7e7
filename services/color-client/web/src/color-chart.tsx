import { describeColor } from './color';
import { countColors, HISTORY_CAPACITY } from './color-history';
import type { ColorSample } from './color-history';

function swatchStyle(color: string) {
  const css = describeColor(color).css;
  return css ? { backgroundColor: css } : undefined;
}

/**
 * The colors of the recent polls: a strip of cells (oldest on the left), a bar split by share,
 * and a legend with count and share per color, so a weighted rollout shows at a glance.
 */
export function ColorChart({ samples }: { readonly samples: readonly ColorSample[] }) {
  const counts = countColors(samples);
  const emptyCells = HISTORY_CAPACITY - samples.length;
  return (
    <section class="chart" data-testid="chart" aria-labelledby="chart-title">
      <h2 id="chart-title" class="chart-title">
        Colors of the last {samples.length} of {HISTORY_CAPACITY} polls
      </h2>
      <ol class="chart-strip" aria-hidden="true">
        {samples.map(({ seq, color }) => (
          <li
            key={seq}
            class="chart-cell"
            data-testid="chart-sample"
            data-color={color}
            title={color}
            style={swatchStyle(color)}
          />
        ))}
        {Array.from({ length: emptyCells }, (_, index) => (
          <li key={`empty-${index}`} class="chart-cell chart-cell--empty" />
        ))}
      </ol>
      {counts.length > 0 && (
        <div class="chart-shares" aria-hidden="true">
          {counts.map(({ color, count }) => (
            <span
              key={color}
              class="chart-share"
              style={{ ...swatchStyle(color), flexGrow: count }}
            />
          ))}
        </div>
      )}
      <ul class="chart-legend">
        {counts.map(({ color, count, share }) => (
          <li key={color} class="chart-legend-item">
            <span class="chart-swatch" style={swatchStyle(color)} />
            <span class="chart-count" data-testid="chart-count" data-color={color}>
              {count} ({Math.round(share * 100)}%)
            </span>
            <span class="chart-name">{color}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
