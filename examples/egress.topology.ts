import { defineTopology, withServiceChanged } from '@color-teller/topology';
import articleTopology from '../color-teller.topology';

/**
 * The article's system with one outside API: the backend asks the Color Name API
 * (https://meodai.github.io/color-name-api/) for the name of its color, served as `GET /name`
 * and shown on the page. Locally the call passes the runner's egress forwarder, which refuses any
 * external the backend did not declare. Run it with `npm start -- --topology examples/egress.topology.ts`.
 */
export default defineTopology({
  ...withServiceChanged(articleTopology, 'color', (color) => ({
    ...color,
    backends: [...(color.backends ?? []), { service: 'colornames' }],
  })),
  externals: [{ name: 'colornames', baseUrl: 'https://api.color.pizza/v1' }],
});
