import { describeColor } from './color';

export type BannerProps = {
  /** The last color received; absent before the first answer. */
  readonly color?: string;
  /** True while the backend fails and `color` is only the last known one. */
  readonly stale: boolean;
};

/** The big colored box: background is the received color, text names it. */
export function Banner({ color, stale }: BannerProps) {
  const described = color === undefined ? undefined : describeColor(color);
  const classes = ['banner', `banner--text-${described?.text ?? 'black'}`];
  if (!described?.css) classes.push('banner--neutral');
  if (stale) classes.push('banner--stale');
  return (
    <section
      class={classes.join(' ')}
      data-testid="banner"
      data-stale={stale ? 'true' : 'false'}
      aria-live="polite"
      // CSSOM, not a style attribute in HTML: allowed by the page's strict CSP.
      style={described?.css ? { backgroundColor: described.css } : undefined}
    >
      <span class="banner-caption">The backend says</span>
      <strong class="banner-name">{color ?? 'waiting for the first color…'}</strong>
      {described && !described.css && <span class="banner-note">(not a CSS color)</span>}
      {stale && color !== undefined && (
        <span class="banner-note">last known color, may be stale</span>
      )}
    </section>
  );
}
