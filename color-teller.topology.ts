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
      // One task is the article's size; ECS adds tasks on CPU (and the ingress on ALB requests).
      scaling: { minTasks: 1, maxTasks: 3 },
    },
    {
      name: 'client',
      codePath: 'services/color-client',
      port: 3000,
      healthPath: '/health',
      env: { VERSION: 'vanilla' },
      backends: [{ service: 'color', envVar: 'COLOR_BACKEND' }],
      versions: [{ name: 'vanilla' }],
      scaling: { minTasks: 1, maxTasks: 3 },
    },
  ],
  ingress: { service: 'client' },
});
