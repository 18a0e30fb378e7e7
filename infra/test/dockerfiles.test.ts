import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTopology } from '@color-teller/topology/load';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGY_FILE, REPOSITORY_ROOT } from '../lib/app';

describe('GIVEN the default topology WHEN its services’ Dockerfiles are read', () => {
  it('THEN each image defaults PORT to, and exposes, the port the topology gives its service', async () => {
    const topology = await loadTopology(DEFAULT_TOPOLOGY_FILE, REPOSITORY_ROOT);
    for (const service of topology.services) {
      const dockerfile = readFileSync(
        join(REPOSITORY_ROOT, service.codePath, 'Dockerfile'),
        'utf8',
      );
      const port = String(service.port);
      expect(/^ENV .*\bPORT=(\d+)/m.exec(dockerfile)?.[1], service.name).toBe(port);
      expect(/^EXPOSE (\d+)/m.exec(dockerfile)?.[1], service.name).toBe(port);
      expect(/process\.env\.PORT\|\|(\d+)/.exec(dockerfile)?.[1], service.name).toBe(port);
    }
  });
});
