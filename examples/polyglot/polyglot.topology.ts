import { defineTopology } from '@color-teller/topology';

/**
 * A Python service in front of the Node color backend: `shade` (Python's standard library only,
 * two versions split 70/30) asks `color` for its color through COLOR_BACKEND. Run it with
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
  ],
  ingress: { service: 'shade' },
});
