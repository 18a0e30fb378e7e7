import { describe, expect, it } from 'vitest';
import { imageReferenceProblem, parseImageReference, validateTopology } from '../src';
import type { ServiceSpec, Topology } from '../src';
import { problemsOf } from './fixtures/problems';
import { withService } from './fixtures/valid';

const color = (change: Partial<ServiceSpec>): Topology =>
  withService('color', (s) => ({ ...s, ...change }));
const DIGEST = `sha256:${'a1'.repeat(32)}`;

describe('a service command', () => {
  it.each([
    ['one program', ['./server']],
    ['a program with arguments', ['python3', '-u', 'server.py']],
    ['an empty argument after the program', ['printf', '']],
  ])('accepts %s', (_name, command) => {
    const topology = color({ command });
    expect(validateTopology(topology)).toBe(topology);
  });

  it.each([
    ['an empty argv', [], /service "color": command is empty: give the program and its arguments/],
    ['a blank program', ['  ', 'x'], /service "color": command\[0\] " {2}" is not a program name/],
    ['a non-string argument', ['python3', 8], /service "color": command\[1\] 8 is not a string/],
    ['a string instead of an array', 'python3 server.py', /service "color": command is empty/],
  ])('fails on %s, naming the service and the fix', (_name, command, message) => {
    const problems = problemsOf(color({ command: command as unknown as string[] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});

describe('a service image', () => {
  it.each([
    ['a tag', 'orders:1.4.2'],
    ['a registry, a path and a tag', 'public.ecr.aws/acme/orders:1.4.2'],
    ['a registry with a port', 'localhost:5000/orders:v2'],
    ['a digest', `public.ecr.aws/acme/orders@${DIGEST}`],
    ['a tag and a digest', `orders:1.4.2@${DIGEST}`],
    ['an ECR private registry', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:2026-12-01'],
  ])('accepts %s', (_name, image) => {
    const topology = color({ image });
    expect(validateTopology(topology)).toBe(topology);
  });

  it.each([
    [
      'neither tagged nor pinned',
      'public.ecr.aws/acme/orders',
      /is neither tagged nor pinned by digest: add a tag, e.g. "public.ecr.aws\/acme\/orders:1.4.2"/,
    ],
    ['a registry port but no tag', 'localhost:5000/orders', /is neither tagged nor pinned/],
    [
      'a short digest',
      'orders@sha256:abc',
      /has digest "sha256:abc", which is not "sha256:" and 64/,
    ],
    ['an upper-case repository', 'Acme/Orders:1', /is not an image reference: use lower-case/],
    ['an empty tag', 'orders:', /has tag "", which is not a valid tag/],
    ['an empty string', '', /is empty: give a registry reference/],
  ])('fails when it is %s', (_name, image, message) => {
    const problems = problemsOf(color({ image }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^service "color": image /);
    expect(problems[0]).toMatch(message);
  });

  it('splits a reference after the last slash, so a registry port is not a tag', () => {
    expect(parseImageReference('localhost:5000/acme/orders:7')).toEqual({
      repository: 'localhost:5000/acme/orders',
      tag: '7',
    });
    expect(parseImageReference(`orders@${DIGEST}`)).toEqual({
      repository: 'orders',
      digest: DIGEST,
    });
    expect(imageReferenceProblem('orders:7')).toBeUndefined();
  });
});

describe('command and image together', () => {
  it('reports every problem of both fields at once', () => {
    const problems = problemsOf(
      withService('color', (s) => ({ ...s, command: [], image: 'orders' })),
    );
    expect(problems).toEqual([
      expect.stringMatching(/service "color": command is empty/),
      expect.stringMatching(/service "color": image "orders" is neither tagged nor pinned/),
    ]);
  });

  it('accepts a service that runs a command locally and an image in the cloud', () => {
    const topology = color({ command: ['python3', 'server.py'], image: 'orders:1' });
    expect(validateTopology(topology)).toBe(topology);
  });
});
