import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { MeshFlavorDescription } from '@color-teller/mesh-constructs';
import { describe, expect, it, vi } from 'vitest';
import {
  contextArgs,
  contextValue,
  flavorIn,
  planCdk,
  runCdk,
  synthGroups,
  synthProcesses,
  type CdkInvocation,
} from '../lib/cli';

const CDK_SCRIPT = fileURLToPath(new URL('../bin/cdk.ts', import.meta.url));
const STAND_IN = 'infra/test/fixtures/stand-in.topology.ts';

describe('planCdk', () => {
  it('synthesizes every flavor, without the CDK CLI', () => {
    expect(planCdk('synth', ['-c', 'topology=x.ts'])).toEqual({
      invocations: [],
      flavors: ['service-connect', 'vpc-lattice', 'appmesh'],
      skipped: [],
    });
  });

  it('skips each flavor that cannot express the topology, with its reasons', () => {
    const problemsOf = (entry: MeshFlavorDescription) =>
      entry.name === 'service-connect' ? ['service "color" has 2 versions'] : [];
    const plan = planCdk('synth', [], { problemsOf });
    expect(plan.flavors).toEqual(['vpc-lattice', 'appmesh']);
    expect(plan.skipped).toEqual([
      { flavor: 'service-connect', reasons: ['service "color" has 2 versions'] },
    ]);
  });

  it('synthesizes only the flavor named by -c mesh=...', () => {
    expect(planCdk('synth', ['--context=mesh=vpc-lattice']).flavors).toEqual(['vpc-lattice']);
  });

  it('refuses synth arguments that are not context, naming each of them', () => {
    expect(() => planCdk('synth', ['--quiet', '-c', 'mesh=appmesh', '-c', 'novalue'])).toThrow(
      'npm run synth takes only -c key=value (context), not "--quiet", "-c novalue": for other CDK CLI options run npx cdk synth with them',
    );
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

  it('contextArgs reads every form into strings, as the CDK CLI passes them', () => {
    expect(
      contextArgs(['-c', 'mesh=a', '--context', 'natGateways=0', '--context=domainName=x=y']),
    ).toEqual({ mesh: 'a', natGateways: '0', domainName: 'x=y' });
  });
});

describe('synthGroups and synthProcesses', () => {
  const flavors = ['a', 'b', 'c'];
  it('keeps the first flavors in this process and gives each of the last one of its own', () => {
    expect(synthGroups(flavors, 2)).toEqual({ here: ['a', 'b'], apart: ['c'] });
    expect(synthGroups(flavors, 3)).toEqual({ here: ['a'], apart: ['b', 'c'] });
    expect(synthGroups(flavors, 1)).toEqual({ here: flavors, apart: [] });
    expect(synthGroups(flavors, 9)).toEqual({ here: ['a'], apart: ['b', 'c'] });
    expect(synthGroups(['a'], 2)).toEqual({ here: ['a'], apart: [] });
  });

  it('uses 2 processes unless CDK_SYNTH_PROCESSES says otherwise, and refuses a non-count', () => {
    expect(synthProcesses(undefined)).toBe(2);
    expect(synthProcesses('3')).toBe(3);
    expect(() => synthProcesses('0')).toThrow(
      'CDK_SYNTH_PROCESSES=0 is not a count of processes: use a whole number from 1 (unset: 2)',
    );
    expect(() => synthProcesses('two')).toThrow(/CDK_SYNTH_PROCESSES=two is not a count/);
  });
});

/** A runner whose CDK CLI only records its arguments. */
function recordingIo(problemsOf: (entry: MeshFlavorDescription) => readonly string[] = () => []) {
  const spawned: CdkInvocation[] = [];
  const synthSpawned: (readonly string[])[] = [];
  const synthesized: string[] = [];
  const cleared: string[] = [];
  const errors: string[] = [];
  const logs: string[] = [];
  const io = {
    spawn: (args: CdkInvocation) => {
      spawned.push(args);
      return Promise.resolve(0);
    },
    spawnSynth: (args: readonly string[]) => {
      synthSpawned.push(args);
      return Promise.resolve(0);
    },
    synthesize: (flavor: string, outdir: string) => {
      synthesized.push(`${flavor} -> ${outdir}`);
      return Promise.resolve();
    },
    clearOutdir: (outdir: string) => cleared.push(outdir),
    problemsFor: () => Promise.resolve(problemsOf),
    log: (line: string) => logs.push(line),
    error: (line: string) => errors.push(line),
  };
  return { io, spawned, synthSpawned, synthesized, cleared, errors, logs };
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
    const { io, synthSpawned, synthesized, logs } = recordingIo((entry) =>
      entry.name === 'service-connect' ? ['service "color" has header or cookie routes'] : [],
    );
    expect(await runCdk(['synth'], io)).toBe(0);
    expect(synthesized).toEqual(['vpc-lattice -> cdk.out/vpc-lattice']);
    expect(synthSpawned).toEqual([['-c', 'mesh=appmesh']]);
    expect(logs[0]).toBe(
      'skipped service-connect: it cannot express this topology:\n  - service "color" has header or cookie routes',
    );
  });
});

describe('runCdk synth with every flavor', () => {
  it('starts the other process before it synthesizes its own flavors, each into a cleared folder', async () => {
    const { io, synthSpawned, synthesized, cleared, logs } = recordingIo();
    const order: string[] = [];
    expect(
      await runCdk(['synth', '-c', 'topology=t.ts'], {
        ...io,
        spawnSynth: (args) => {
          order.push(`spawn ${args.join(' ')}`);
          return io.spawnSynth(args);
        },
        synthesize: (flavor, outdir, args) => {
          order.push(`here ${flavor} ${args.join(' ')}`);
          return io.synthesize(flavor, outdir);
        },
      }),
    ).toBe(0);
    expect(order).toEqual([
      'spawn -c mesh=appmesh -c topology=t.ts',
      'here service-connect -c topology=t.ts',
      'here vpc-lattice -c topology=t.ts',
    ]);
    expect(synthSpawned).toHaveLength(1);
    expect(synthesized).toHaveLength(2);
    expect(cleared).toEqual(['cdk.out/service-connect', 'cdk.out/vpc-lattice']);
    expect(logs).toEqual([
      'synthesized into cdk.out/service-connect/',
      'synthesized into cdk.out/vpc-lattice/',
    ]);
  });

  it("goes on after a failing flavor, names it, and fails with the other process's status too", async () => {
    const { io, errors, logs } = recordingIo();
    let finishApart: (status: number) => void = () => {};
    const running = runCdk(['synth'], {
      ...io,
      spawnSynth: () => new Promise<number>((resolve) => (finishApart = resolve)),
      synthesize: (flavor) =>
        flavor === 'service-connect'
          ? Promise.reject(new Error('service "color": no port'))
          : Promise.resolve(),
    });
    await vi.waitFor(() => expect(logs).toEqual(['synthesized into cdk.out/vpc-lattice/']));
    expect(errors).toEqual(['service-connect: service "color": no port']);
    finishApart(0);
    expect(await running).toBe(1);

    const apartFails = recordingIo();
    expect(
      await runCdk(['synth'], { ...apartFails.io, spawnSynth: () => Promise.resolve(3) }),
    ).toBe(3);
  });

  it('synthesizes every flavor here with CDK_SYNTH_PROCESSES=1', async () => {
    const { io, synthSpawned, synthesized } = recordingIo();
    expect(await runCdk(['synth'], { ...io, synthProcesses: 1 })).toBe(0);
    expect(synthSpawned).toEqual([]);
    expect(synthesized).toHaveLength(3);
  });
});

describe('runCdk with a topology no flavor can express', () => {
  it('fails synth without synthesizing anything', async () => {
    const { io, spawned, synthSpawned, synthesized, errors } = recordingIo(() => [
      'service "color": port 0 is not a port',
    ]);
    expect(await runCdk(['synth'], io)).toBe(1);
    expect([...spawned, ...synthSpawned, ...synthesized]).toEqual([]);
    expect(errors).toEqual(['no flavor can express this topology: fix the problems above']);
  });
});

describe('npm run synth (the app built in this process and one more, without the CDK CLI)', () => {
  const withoutAwsEnv = () =>
    Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  const npmRunSynth = (args: readonly string[], env: NodeJS.ProcessEnv) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', CDK_SCRIPT, 'synth', ...args], {
      env: { ...withoutAwsEnv(), ...env },
      timeout: 540_000,
    });

  it('writes every assembly with no AWS credentials and no network', async () => {
    const outRoot = mkdtempSync(join(tmpdir(), 'color-teller-synth-'));
    const { stdout } = await npmRunSynth(['-c', `topology=${STAND_IN}`], {
      CDK_OUT_ROOT: outRoot,
    });
    for (const [flavor, stack] of [
      ['service-connect', 'ColorTeller-service-connect'],
      ['vpc-lattice', 'ColorTeller-vpc-lattice'],
      ['appmesh', 'ColorTeller-appmesh'],
    ]) {
      expect(stdout).toContain(`synthesized into ${outRoot}/${flavor}/`);
      const template = join(outRoot, flavor!, `${stack}.template.json`);
      expect(existsSync(template)).toBe(true);
      expect(readFileSync(template, 'utf8')).toContain('AWS::ECS::Service');
      // The CDK CLI's context: resources carry their construct paths.
      expect(readFileSync(template, 'utf8')).toContain('"aws:cdk:path"');
    }
  }, 540_000);

  it('fails a flavor that cannot express the topology, naming the service and the fix', async () => {
    const outRoot = mkdtempSync(join(tmpdir(), 'color-teller-synth-'));
    const failure = npmRunSynth(
      ['-c', 'mesh=service-connect', '-c', 'topology=examples/canary.topology.ts'],
      { CDK_OUT_ROOT: outRoot },
    );
    await expect(failure).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /^service-connect: .*\n {2}- service "color" has 2 versions with steady weights.*; with the CDK app: -c mesh=vpc-lattice$/m,
      ) as unknown,
    });
    expect(existsSync(join(outRoot, 'service-connect', 'manifest.json'))).toBe(false);
  }, 540_000);
});
