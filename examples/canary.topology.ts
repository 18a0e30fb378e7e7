import { defineTopology, withServiceChanged } from '@color-teller/topology';
import articleTopology from '../color-teller.topology';

/**
 * The article's system with a canary of the backend: `blue` takes 20% of the traffic, and a
 * request can ask for it with the header `x-color-version: blue` or the cookie
 * `color-version=blue` (the article's "route by cookie").
 * Run it locally with `npm start -- --topology examples/canary.topology.ts`.
 */
export default defineTopology(
  withServiceChanged(articleTopology, 'color', (color) => ({
    ...color,
    versions: [
      { name: 'red', weight: 80, env: { COLOR: 'red' } },
      { name: 'blue', weight: 20, env: { COLOR: 'blue' } },
    ],
    routes: [
      { version: 'blue', whenHeader: { name: 'x-color-version', equals: 'blue' } },
      { version: 'blue', whenCookie: { name: 'color-version', equals: 'blue' } },
    ],
  })),
);
