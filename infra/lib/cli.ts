import { MESH_FLAVORS } from './options';

/** One run of the CDK CLI: its arguments (the app and common flags are added by the runner). */
export type CdkInvocation = readonly string[];

/** The flavor named by `-c mesh=<flavor>` / `--context mesh=<flavor>` in `args`. */
export function flavorIn(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const value = args[i] === '-c' || args[i] === '--context' ? args[i + 1] : args[i];
    const match = /^mesh=(.+)$/.exec(value ?? '');
    if (match) return match[1]!;
  }
  return 'service-connect';
}

/**
 * The CDK CLI runs behind `npm run synth|deploy|destroy`: synth writes both flavors into
 * `<outRoot>/<flavor>/`; deploy and destroy act on one flavor (default service-connect) with the
 * same output folder, passing every other argument on.
 */
export function cdkInvocations(
  command: string | undefined,
  rest: readonly string[],
  outRoot = 'cdk.out',
): CdkInvocation[] {
  switch (command) {
    case 'synth':
      return MESH_FLAVORS.map((flavor) => [
        'synth',
        '--quiet',
        '-c',
        `mesh=${flavor}`,
        '-o',
        `${outRoot}/${flavor}`,
        ...rest,
      ]);
    case 'deploy':
    case 'destroy': {
      const flavor = flavorIn(rest);
      const mesh = rest.some((arg) => /^mesh=/.test(arg)) ? [] : ['-c', `mesh=${flavor}`];
      return [[command, ...mesh, '-o', `${outRoot}/${flavor}`, ...rest]];
    }
    default:
      throw new Error(
        `unknown command "${command ?? ''}": use synth, deploy [-c mesh=appmesh] or destroy [-c mesh=appmesh]`,
      );
  }
}
