import { describe, expect, it } from 'vitest';
import { withServiceChanged } from '../src/edit';
import { validTopology } from './fixtures/valid';

describe('withServiceChanged', () => {
  it('changes only the named service and leaves the base topology as it was', () => {
    const base = validTopology();
    const changed = withServiceChanged(base, 'client', (s) => ({ ...s, port: 4000 }));

    expect(changed.services.find((s) => s.name === 'client')?.port).toBe(4000);
    expect(changed.services.find((s) => s.name === 'color')).toBe(
      base.services.find((s) => s.name === 'color'),
    );
    expect(base.services.find((s) => s.name === 'client')?.port).toBe(3000);
  });

  it('fails when the service does not exist, naming the services there are', () => {
    expect(() => withServiceChanged(validTopology(), 'colour', (s) => s)).toThrow(
      'topology "demo" has no service "colour"; use one of: color, client',
    );
  });
});
