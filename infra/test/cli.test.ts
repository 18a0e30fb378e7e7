import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cdkInvocations, flavorIn } from '../lib/cli';

const CDK_SCRIPT = fileURLToPath(new URL('../bin/cdk.ts', import.meta.url));
const STAND_IN = 'infra/test/fixtures/stand-in.topology.ts';

describe('cdkInvocations', () => {
  it('synthesizes both flavors, each into its own folder, passing extra args on', () => {
    expect(cdkInvocations('synth', ['-c', 'topology=x.ts'])).toEqual([
      [
        'synth',
        '--quiet',
        '-c',
        'mesh=service-connect',
        '-o',
        'cdk.out/service-connect',
        '-c',
        'topology=x.ts',
      ],
      ['synth', '--quiet', '-c', 'mesh=appmesh', '-o', 'cdk.out/appmesh', '-c', 'topology=x.ts'],
    ]);
  });

  it('deploys and destroys the flavor named by -c mesh=..., Service Connect by default', () => {
    expect(cdkInvocations('deploy', [])).toEqual([
      ['deploy', '-c', 'mesh=service-connect', '-o', 'cdk.out/service-connect'],
    ]);
    expect(cdkInvocations('destroy', ['-c', 'mesh=appmesh', '--force'])).toEqual([
      ['destroy', '-o', 'cdk.out/appmesh', '-c', 'mesh=appmesh', '--force'],
    ]);
    expect(flavorIn(['--context', 'mesh=appmesh'])).toBe('appmesh');
  });

  it('fails when the command is unknown, naming the accepted ones', () => {
    expect(() => cdkInvocations('diff', [])).toThrow(/unknown command "diff": use synth, deploy/);
  });
});

describe('npm run synth (the CDK CLI on the app)', () => {
  it('writes both assemblies with no AWS credentials and no network', async () => {
    const outRoot = mkdtempSync(join(tmpdir(), 'color-teller-synth-'));
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')),
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', CDK_SCRIPT, 'synth', '-c', `topology=${STAND_IN}`],
      { env: { ...env, CDK_OUT_ROOT: outRoot }, timeout: 120_000 },
    );
    expect(stdout).toContain(`synthesized into ${outRoot}/appmesh/`);
    for (const [flavor, stack] of [
      ['service-connect', 'ColorTeller-service-connect'],
      ['appmesh', 'ColorTeller-appmesh'],
    ]) {
      const template = join(outRoot, flavor!, `${stack}.template.json`);
      expect(existsSync(template)).toBe(true);
      expect(readFileSync(template, 'utf8')).toContain('AWS::ECS::Service');
    }
  }, 120_000);
});
