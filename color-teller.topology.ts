import { defineTopology } from '@color-teller/topology';

/**
 * The article's system: the page and its gateway (`client`) in front, calling the `color`
 * backend through `COLOR_BACKEND`. Edit this file to change what `npm start` and the CDK app run.
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
      versions: [{ name: 'red', env: { COLOR: 'red' } }],
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
