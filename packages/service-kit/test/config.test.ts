import { describe, expect, it } from 'vitest';
import { ConfigError, env, readConfig, serverSettings } from '../src/config';

const spec = {
  ...serverSettings(3000),
  COLOR: env.string({ example: 'blue' }),
  BACKEND: env.httpUrl({ example: 'http://backend:3000' }),
};

function problemsOf(source: Record<string, string>): readonly string[] {
  try {
    readConfig(spec, source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readConfig', () => {
  it('reads values and applies defaults', () => {
    const config = readConfig(spec, { COLOR: ' red ', BACKEND: 'http://127.0.0.1:9/base' });
    expect(config).toEqual({
      HOST: '0.0.0.0',
      PORT: 3000,
      DRAIN_TIMEOUT_MS: 10_000,
      HEADERS_TIMEOUT_MS: 10_000,
      REQUEST_TIMEOUT_MS: 30_000,
      LOG_LEVEL: 'info',
      COLOR: 'red',
      BACKEND: new URL('http://127.0.0.1:9/base'),
    });
  });

  it('fails when a required variable is missing or empty, naming it and what is expected', () => {
    expect(problemsOf({ COLOR: '  ', BACKEND: 'http://x' })).toEqual([
      'COLOR is required: set it to a non-empty string such as "blue"',
    ]);
  });

  it('fails with every bad variable at once, each with the value received', () => {
    const problems = problemsOf({
      COLOR: 'red',
      PORT: '70000',
      DRAIN_TIMEOUT_MS: '1e3',
      BACKEND: 'ftp://x',
    });
    expect(problems).toEqual([
      'PORT="70000" is invalid: expected a port from 0 to 65535',
      'DRAIN_TIMEOUT_MS="1e3" is invalid: expected an integer from 0 to 120000',
      'BACKEND="ftp://x" is invalid: expected an http(s) URL such as http://backend:3000',
    ]);
  });

  it('fails when a URL carries credentials, a query or a fragment', () => {
    for (const bad of ['http://user:pw@x', 'http://x/?a=1', 'http://x/#top', 'not a url']) {
      expect(problemsOf({ COLOR: 'red', BACKEND: bad })).toHaveLength(1);
    }
  });

  it('fails when LOG_LEVEL is not a pino level', () => {
    expect(problemsOf({ COLOR: 'red', BACKEND: 'http://x', LOG_LEVEL: 'loud' })).toEqual([
      'LOG_LEVEL="loud" is invalid: expected one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });

  it('reads the slow-client timeouts from HEADERS_TIMEOUT_MS and REQUEST_TIMEOUT_MS', () => {
    const config = readConfig(spec, {
      COLOR: 'red',
      BACKEND: 'http://x',
      HEADERS_TIMEOUT_MS: '1000',
      REQUEST_TIMEOUT_MS: '5000',
    });
    expect(config).toMatchObject({ HEADERS_TIMEOUT_MS: 1000, REQUEST_TIMEOUT_MS: 5000 });
  });

  it('fails when HEADERS_TIMEOUT_MS is zero or not below the keep-alive timeout', () => {
    expect(problemsOf({ COLOR: 'red', BACKEND: 'http://x', HEADERS_TIMEOUT_MS: '0' })).toEqual([
      'HEADERS_TIMEOUT_MS="0" is invalid: expected an integer from 1 to 60000',
    ]);
    expect(
      problemsOf({ COLOR: 'red', BACKEND: 'http://x', HEADERS_TIMEOUT_MS: '65000' }),
    ).toHaveLength(1);
  });

  it('puts every problem on one line', () => {
    const error = new ConfigError(['A is required: set it', 'B="x" is invalid: expected y']);
    expect(error.message).toBe(
      'invalid configuration: A is required: set it; B="x" is invalid: expected y',
    );
    expect(error.message).not.toContain('\n');
  });
});
