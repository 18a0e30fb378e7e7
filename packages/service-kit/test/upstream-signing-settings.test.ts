import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/config';
import { startUpstreamSigning, upstreamSigningSettings } from '../src/upstream-signing';

const settings = upstreamSigningSettings();
const SIGNING_ENV = {
  UPSTREAM_SIGV4_SERVICE: 'vpc-lattice-svcs',
  AWS_REGION: 'us-east-1',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9911/creds',
};

/** The problems readConfig reports for `env` (none when it reads it). */
function problemsOf(env: Record<string, string>): readonly string[] {
  const failure = (() => {
    try {
      return readConfig(settings, env) && undefined;
    } catch (error) {
      return error;
    }
  })();
  return failure instanceof ConfigError ? failure.problems : [];
}

describe('upstreamSigningSettings', () => {
  it('is off when UPSTREAM_SIGV4_SERVICE is unset, whatever else is set', async () => {
    const config = readConfig(settings, { AWS_REGION: 'not a region' });
    expect(config.UPSTREAM_SIGV4_SERVICE).toBeNull();
    expect(await startUpstreamSigning(config.UPSTREAM_SIGV4_SERVICE)).toBeUndefined();
  });

  it('reads the service, the region and the credentials endpoint with its token', () => {
    const config = readConfig(settings, {
      ...SIGNING_ENV,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Basic abc',
    });
    expect(config.UPSTREAM_SIGV4_SERVICE).toEqual({
      service: 'vpc-lattice-svcs',
      region: 'us-east-1',
      credentials: {
        url: new URL('http://127.0.0.1:9911/creds'),
        authorizationToken: 'Basic abc',
      },
    });
  });

  it('takes the relative URI on the ECS agent first, as the AWS SDKs do', () => {
    const config = readConfig(settings, {
      ...SIGNING_ENV,
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc',
    });
    expect(config.UPSTREAM_SIGV4_SERVICE?.credentials.url.href).toBe(
      'http://169.254.170.2/v2/credentials/abc',
    );
  });

  it('fails when the region is missing, naming AWS_REGION', () => {
    expect(problemsOf({ ...SIGNING_ENV, AWS_REGION: '' })).toEqual([
      'AWS_REGION="" is invalid: UPSTREAM_SIGV4_SERVICE needs the region to sign for, such as us-east-1',
    ]);
  });

  it('fails when no credentials endpoint is given, naming both variables', () => {
    const withoutCredentials = { ...SIGNING_ENV, AWS_CONTAINER_CREDENTIALS_FULL_URI: '' };
    expect(problemsOf(withoutCredentials)).toEqual([
      expect.stringMatching(
        /AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.*AWS_CONTAINER_CREDENTIALS_FULL_URI/,
      ),
    ]);
  });

  it('fails when the full URI is plain http to a host that is not local', () => {
    expect(
      problemsOf({ ...SIGNING_ENV, AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://evil.example/c' }),
    ).toEqual([
      'AWS_CONTAINER_CREDENTIALS_FULL_URI="http://evil.example/c" is invalid: expected an https URL, or http to loopback, 169.254.170.2 or 169.254.170.23',
    ]);
  });

  it('fails on a relative URI that is not a path, a bad service name and a token on two lines', () => {
    expect(
      problemsOf({
        ...SIGNING_ENV,
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: 'v2/creds',
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'a\r\nx-injected: 1',
      }),
    ).toEqual([
      expect.stringMatching(/^AWS_CONTAINER_CREDENTIALS_RELATIVE_URI="v2\/creds" is invalid/),
      expect.stringMatching(/^AWS_CONTAINER_AUTHORIZATION_TOKEN is invalid/),
    ]);
    expect(problemsOf({ ...SIGNING_ENV, UPSTREAM_SIGV4_SERVICE: 'VPC Lattice' })).toEqual([
      'UPSTREAM_SIGV4_SERVICE="VPC Lattice" is invalid: expected a SigV4 service name such as vpc-lattice-svcs',
    ]);
  });
});
