import { defineTopology } from '@color-teller/topology';

/**
 * A canary of the backend: `blue` takes 20% of the traffic, and a request can ask for it with the
 * header `x-color-version: blue` or the cookie `color-version=blue` (the article's "route by
 * cookie"). Run it locally with `npm start -- --topology examples/canary.topology.ts`.
 */
export default defineTopology({
  name: 'color-teller',
  namespace: 'color-teller.local',
  services: [
    {
      name: 'color',
      codePath: 'services/color-backend',
      port: 3000,
      healthPath: '/health',
      versions: [
        { name: 'red', weight: 80, env: { COLOR: 'red' } },
        { name: 'blue', weight: 20, env: { COLOR: 'blue' } },
      ],
      routes: [
        { version: 'blue', whenHeader: { name: 'x-color-version', equals: 'blue' } },
        { version: 'blue', whenCookie: { name: 'color-version', equals: 'blue' } },
      ],
    },
    {
      name: 'client',
      codePath: 'services/color-client',
      port: 3000,
      healthPath: '/health',
      env: { VERSION: 'vanilla' },
      backends: [{ service: 'color', envVar: 'COLOR_BACKEND' }],
      versions: [{ name: 'vanilla' }],
    },
  ],
  ingress: { service: 'client' },
});
