import { defineTopology, findService } from '@color-teller/topology';
import articleTopology from '../../color-teller.topology';

/**
 * The article's system with a Python service between the gateway and the Node color backend: the
 * gateway (`client`) calls `shade` (Python's standard library only, two versions split 70/30) in
 * the backend's place, and `shade` asks `color` for its color through COLOR_BACKEND. Run it with
 * `npm start -- --topology examples/polyglot/polyglot.topology.ts`; see ./README.md.
 */
export default defineTopology({
  ...articleTopology,
  name: 'polyglot',
  namespace: 'polyglot.local',
  services: [
    findService(articleTopology, 'color'),
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
      ...findService(articleTopology, 'client'),
      // The gateway's COLOR_BACKEND is the Python service: it answers the backend's API.
      backends: [{ service: 'shade', envVar: 'COLOR_BACKEND' }],
    },
  ],
});
