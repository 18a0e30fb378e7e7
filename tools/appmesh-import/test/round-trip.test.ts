import { loadTopology } from '@color-teller/topology/load';
import type { Topology } from '@color-teller/topology';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAppMesh } from '../src';
import {
  REPOSITORY_ROOT,
  SYNTH_TIMEOUT_MS,
  scratchDir,
  shapeOf,
  synthesizedTemplate,
  writeScratch,
} from './support';

const EXAMPLES = [
  'color-teller.topology.ts',
  'examples/canary.topology.ts',
  'examples/egress.topology.ts',
];

describe.each(EXAMPLES)(
  "GIVEN %s rendered by this project's appmesh flavor WHEN its template is imported back",
  (file) => {
    const scratch = scratchDir();
    let original: Topology;
    let imported: Topology;
    beforeAll(async () => {
      original = await loadTopology(file, REPOSITORY_ROOT);
      const template = writeScratch(
        scratch.dir,
        'synthesized.template.json',
        synthesizedTemplate(original),
      );
      imported = importAppMesh({ templates: [template] }).result.topology;
    }, SYNTH_TIMEOUT_MS);
    afterAll(() => scratch.remove());

    it('THEN it has the same services, versions, weights, routes, backends, ports, health paths, externals and ingress', () => {
      expect(shapeOf(imported)).toEqual(shapeOf(original));
    });

    it("THEN it keeps the namespace and each version's own env", () => {
      expect(imported.namespace).toBe(original.namespace);
      for (const service of original.services) {
        const back = imported.services.find((s) => s.name === service.name)!;
        for (const version of service.versions) {
          const env = { ...back.env, ...back.versions.find((v) => v.name === version.name)!.env };
          expect(env).toMatchObject({ ...service.env, ...version.env });
        }
      }
    });
  },
);
