import { defineTopology } from '@color-teller/topology';

/**
 * A Python service between the gateway and the Node color backend: the page's gateway (`client`)
 * calls `shade` (Python's standard library only, two versions split 70/30) in the backend's
 * place, and `shade` asks `color` for its color through COLOR_BACKEND. Run it with
 * `npm start -- --topology examples/polyglot/polyglot.topology.ts`; see ./README.md.
 */
export default defineTopology({
  name: 'polyglot',
  namespace: 'polyglot.local',
  services: [
    {
      name: 'color',
      codePath: 'services/color-backend',
      port: 3000,
      healthPath: '/health',
      versions: [{ name: 'red', env: { COLOR: 'red' } }],
    },
    {
      name: 'shade',
      codePath: 'examples/polyglot/shade',
      // `-u`: unbuffered output, so its lines reach the runner as they are printed.
      command: ['python3', '-u', 'server.py'],
      port: 3000,
      healthPath: '/health',
      backends: [{ service: 'color', envVar: 'COLOR_BACKEND' }],
      versions: [
        { name: 'light', weight: 70, env: { SHADE: 'light' } },
        { name: 'dark', weight: 30, env: { SHADE: 'dark' } },
      ],
    },
    {
      name: 'client',
      codePath: 'services/color-client',
      port: 3000,
      healthPath: '/health',
      env: { VERSION: 'vanilla' },
      // The gateway's COLOR_BACKEND is the Python service: it answers the backend's API.
      backends: [{ service: 'shade', envVar: 'COLOR_BACKEND' }],
      versions: [{ name: 'vanilla' }],
    },
  ],
  ingress: { service: 'client' },
});
