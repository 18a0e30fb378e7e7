import { defineTopology } from '@color-teller/topology';

/** The Python stand-in as the only service, for `npm start -- --topology` in the runner's tests. */
export default defineTopology({
  name: 'foreign',
  namespace: 'foreign.local',
  services: [
    {
      name: 'solo',
      codePath: 'tools/local-mesh/test/stand-ins/foreign',
      // The tag lets a test find this run's Python process.
      command: ['python3', 'misbehaving.py', process.env.FOREIGN_TAG ?? '--tag=none'],
      port: 3000,
      healthPath: '/health',
      versions: [{ name: 'v1' }],
    },
  ],
  ingress: { service: 'solo' },
});
