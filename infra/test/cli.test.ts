import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { MeshFlavorDescription } from '@color-teller/mesh-constructs';
import { describe, expect, it, vi } from 'vitest';
import { contextValue, flavorIn, planCdk, runCdk, type CdkInvocation } from '../lib/cli';

const CDK_SCRIPT = fileURLToPath(new URL('../bin/cdk.ts', import.meta.url));
const STAND_IN = 'infra/test/fixtures/stand-in.topology.ts';

describe('planCdk', () => {
  it('synthesizes every flavor, each into its own folder, passing extra args on', () => {
    expect(planCdk('synth', ['-c', 'topology=x.ts'])).toEqual({
      invocations: [
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
        [
          'synth',
          '--quiet',
          '-c',
          'mesh=vpc-lattice',
          '-o',
          'cdk.out/vpc-lattice',
          '-c',
          'topology=x.ts',
        ],
        ['synth', '--quiet', '-c', 'mesh=appmesh', '-o', 'cdk.out/appmesh', '-c', 'topology=x.ts'],
      ],
      skipped: [],
    });
  });

  it('skips each flavor that cannot express the topology, with its reasons', () => {
    const problemsOf = (entry: MeshFlavorDescription) =>
      entry.name === 'service-connect' ? ['service "color" has 2 versions'] : [];
    const plan = planCdk('synth', [], { problemsOf });
    expect(plan.invocations.map((args) => args[3])).toEqual(['mesh=vpc-lattice', 'mesh=appmesh']);
    expect(plan.skipped).toEqual([
      { flavor: 'service-connect', reasons: ['service "color" has 2 versions'] },
    ]);
  });

  it('synthesizes only the flavor named by -c mesh=..., without a second -c mesh', () => {
    expect(planCdk('synth', ['--context=mesh=vpc-lattice']).invocations).toEqual([
      ['synth', '--quiet', '-o', 'cdk.out/vpc-lattice', '--context=mesh=vpc-lattice'],
    ]);
  });

  it('deploys and destroys the flavor named by -c mesh=..., Service Connect by default', () => {
    expect(planCdk('deploy', []).invocations).toEqual([
      ['deploy', '-c', 'mesh=service-connect', '-o', 'cdk.out/service-connect'],
    ]);
    expect(planCdk('deploy', ['-c', 'mesh=vpc-lattice']).invocations).toEqual([
      ['deploy', '-o', 'cdk.out/vpc-lattice', '-c', 'mesh=vpc-lattice'],
    ]);
    expect(planCdk('destroy', ['-c', 'mesh=appmesh', '--force']).invocations).toEqual([
      ['destroy', '-o', 'cdk.out/appmesh', '-c', 'mesh=appmesh', '--force'],
    ]);
  });

  it('fails when the command is unknown, naming the accepted ones', () => {
    expect(() => planCdk('diff', [])).toThrow(/unknown command "diff": use synth, deploy/);
  });

  it('fails when the flavor is unknown, naming the accepted ones', () => {
    expect(() => planCdk('deploy', ['-c', 'mesh=istio'])).toThrow(
      '-c mesh=istio is not a flavor: use -c mesh=service-connect (the default), -c mesh=vpc-lattice or -c mesh=appmesh',
    );
  });
});

describe('contextValue and flavorIn', () => {
  it('read -c key=v, --context key=v and --context=key=v', () => {
    expect(flavorIn(['-c', 'mesh=appmesh'])).toBe('appmesh');
    expect(flavorIn(['--context', 'mesh=appmesh'])).toBe('appmesh');
    expect(flavorIn(['--context=mesh=appmesh'])).toBe('appmesh');
    expect(flavorIn(['--context=topology=x.ts'])).toBe('service-connect');
    expect(contextValue(['-c', 'mesh=a', '-c', 'topology=t.ts'], 'topology')).toBe('t.ts');
  });
});

/** A runner whose CDK CLI only records its arguments. */
function recordingIo(problemsOf: (entry: MeshFlavorDescription) => readonly string[] = () => []) {
  const spawned: CdkInvocation[] = [];
  const errors: string[] = [];
  const logs: string[] = [];
  const io = {
    spawn: (args: CdkInvocation) => {
      spawned.push(args);
      return Promise.resolve(0);
    },
    clearOutdir: () => {},
    problemsFor: () => Promise.resolve(problemsOf),
    log: (line: string) => logs.push(line),
    error: (line: string) => errors.push(line),
  };
  return { io, spawned, errors, logs };
}

describe('runCdk (npm run synth|deploy|destroy)', () => {
  it.each([
    [['-c', 'mesh=appmesh']],
    [['--context', 'mesh=appmesh']],
    [['--context=mesh=appmesh']],
  ])(
    'refuses deploy %j before it calls the CDK CLI: App Mesh is retired, deploy vpc-lattice',
    async (args) => {
      const { io, spawned, errors } = recordingIo();
      expect(await runCdk(['deploy', ...args], io)).toBe(2);
      expect(spawned).toEqual([]);
      expect(errors).toEqual([
        expect.stringMatching(/^App Mesh was retired by AWS on 2026-09-30: .*-c mesh=vpc-lattice/),
      ]);
    },
  );

  it('deploys a live flavor by calling the CDK CLI once', async () => {
    const { io, spawned } = recordingIo();
    expect(await runCdk(['deploy', '-c', 'mesh=vpc-lattice'], io)).toBe(0);
    expect(spawned).toEqual([['deploy', '-o', 'cdk.out/vpc-lattice', '-c', 'mesh=vpc-lattice']]);
  });

  it('still destroys a stack of the retired flavor', async () => {
    const { io, spawned } = recordingIo();
    expect(await runCdk(['destroy', '-c', 'mesh=appmesh'], io)).toBe(0);
    expect(spawned).toHaveLength(1);
  });

  it('names each flavor synth skips, with the reason, and synthesizes the others', async () => {
    const { io, spawned, logs } = recordingIo((entry) =>
      entry.name === 'service-connect' ? ['service "color" has header or cookie routes'] : [],
    );
    expect(await runCdk(['synth'], io)).toBe(0);
    expect(spawned.map((args) => args[3])).toEqual(['mesh=vpc-lattice', 'mesh=appmesh']);
    expect(logs[0]).toBe(
      'skipped service-connect: it cannot express this topology:\n  - service "color" has header or cookie routes',
    );
  });
});

describe('runCdk synth with every flavor', () => {
  it("starts every flavor's synthesis before the first one ends, and fails with a failing flavor's status", async () => {
    const { io, spawned, logs } = recordingIo();
    const finish: ((status: number) => void)[] = [];
    const running = runCdk(['synth'], {
      ...io,
      spawn: (args) => {
        spawned.push(args);
        return new Promise<number>((resolve) => finish.push(resolve));
      },
    });
    await vi.waitFor(() => expect(spawned).toHaveLength(3));
    finish[0]!(0);
    finish[1]!(1);
    finish[2]!(0);
    expect(await running).toBe(1);
    expect(logs).toEqual([
      'synthesized into cdk.out/service-connect/',
      'synthesized into cdk.out/appmesh/',
    ]);
  });
});

describe('runCdk with a topology no flavor can express', () => {
  it('fails synth without calling the CDK CLI', async () => {
    const { io, spawned, errors } = recordingIo(() => ['service "color": port 0 is not a port']);
    expect(await runCdk(['synth'], io)).toBe(1);
    expect(spawned).toEqual([]);
    expect(errors).toEqual(['no flavor can express this topology: fix the problems above']);
  });
});

describe('npm run synth (the CDK CLI on the app)', () => {
  it('writes every assembly with no AWS credentials and no network', async () => {
    const outRoot = mkdtempSync(join(tmpdir(), 'color-teller-synth-'));
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')),
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', CDK_SCRIPT, 'synth', '-c', `topology=${STAND_IN}`],
      { env: { ...env, CDK_OUT_ROOT: outRoot }, timeout: 540_000 },
    );
    expect(stdout).toContain(`synthesized into ${outRoot}/appmesh/`);
    for (const [flavor, stack] of [
      ['service-connect', 'ColorTeller-service-connect'],
      ['vpc-lattice', 'ColorTeller-vpc-lattice'],
      ['appmesh', 'ColorTeller-appmesh'],
    ]) {
      const template = join(outRoot, flavor!, `${stack}.template.json`);
      expect(existsSync(template)).toBe(true);
      expect(readFileSync(template, 'utf8')).toContain('AWS::ECS::Service');
    }
  }, 540_000);
});
