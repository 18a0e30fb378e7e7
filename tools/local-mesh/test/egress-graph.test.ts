import { describe, expect, it } from 'vitest';
import egressTopology from '../../../examples/egress.topology';
import articleTopology from '../../../color-teller.topology';
import { graphOf } from '../src/view/graph';

describe('the live view graph with externals', () => {
  it('draws each external as a node, reached through the caller egress forwarder', () => {
    const graph = graphOf(egressTopology);
    expect(graph.nodes).toContainEqual({
      id: 'external:colornames',
      kind: 'external',
      name: 'colornames',
    });
    expect(graph.nodes).toContainEqual({
      id: 'egress:color',
      kind: 'egress',
      name: 'color egress',
      process: 'color egress',
    });
    expect(graph.edges).toContainEqual({ from: 'service:color', to: 'egress:color' });
    expect(graph.edges).toContainEqual({ from: 'egress:color', to: 'external:colornames' });
  });

  it('has an edge only between nodes it draws', () => {
    const graph = graphOf(egressTopology);
    const ids = new Set(graph.nodes.map((n) => n.id));
    for (const edge of graph.edges) {
      expect(ids.has(edge.from) && ids.has(edge.to), `${edge.from} -> ${edge.to}`).toBe(true);
    }
  });

  it('draws no external or forwarder for a topology without externals', () => {
    const kinds = graphOf(articleTopology).nodes.map((n) => n.kind);
    expect(kinds).not.toContain('external');
    expect(kinds).not.toContain('egress');
  });
});
