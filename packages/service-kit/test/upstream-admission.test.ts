import { describe, expect, it } from 'vitest';
import { UpstreamAdmission } from '../src/upstream-admission';

describe('UpstreamAdmission', () => {
  it('admits up to the limit per upstream, then refuses until a call is released', () => {
    const admission = new UpstreamAdmission(2);
    const upstream = new URL('http://backend:8080');
    const first = admission.admit(upstream);
    const second = admission.admit(upstream);
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(admission.admit(upstream)).toBeUndefined();
    admission.release(first!);
    const third = admission.admit(upstream);
    expect(third).toBeDefined();
    expect(admission.admit(upstream)).toBeUndefined();
  });

  it('counts each upstream on its own', () => {
    const admission = new UpstreamAdmission(1);
    const red = new URL('http://red:8080');
    const blue = new URL('http://blue:8080');
    expect(admission.admit(red)).toBeDefined();
    expect(admission.admit(blue)).toBeDefined();
    expect(admission.admit(red)).toBeUndefined();
    expect(admission.admit(blue)).toBeUndefined();
  });

  it('admits nothing with a limit of zero', () => {
    expect(new UpstreamAdmission(0).admit(new URL('http://backend:8080'))).toBeUndefined();
  });
});
