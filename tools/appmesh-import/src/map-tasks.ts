/** Env, image and size of a service from the task definitions bound to its nodes. */
import { imageReferenceProblem, type ServiceSpec, type VersionSpec } from '@color-teller/topology';
import { appContainer, type TaskBinding } from './binding';
import { Unresolved } from './intrinsics';
import { optional, required, type Found } from './model';
import type { Candidate, MappingContext, Mutable } from './mapping-context';
import { asNumber } from './traffic-policy';

/** Renderers set these; a task's own values are dropped. */
const RENDERER_ENV = ['PORT', 'HOST'];

function containerIndex(task: Found, container: unknown): number {
  const list = (task.props.ContainerDefinitions ?? []) as unknown[];
  return Math.max(0, list.indexOf(container));
}

/**
 * The codePath of a service with no task definition in the input: a folder that does not exist,
 * whose name says what to fill in. Synthesis reads `<codePath>/Dockerfile` when a service has no
 * `image`, and stops there naming this path.
 */
export function placeholderCodePath(service: string): string {
  return `fill-in/the-folder-with-the-dockerfile-of-${service}`;
}

export class TaskMapper {
  constructor(private readonly ctx: MappingContext) {}

  /** Env, image and size from the task definitions bound to the service's nodes. */
  mapTasks(
    candidate: Candidate,
    spec: Mutable<ServiceSpec> & Record<string, unknown>,
    versions: Mutable<VersionSpec>[],
  ): void {
    const bound = candidate.nodes.map((node) => this.ctx.bindings.get(node));
    if (bound.every((b) => b === undefined)) {
      this.ctx.placeholders.push(candidate.name);
      spec.codePath = placeholderCodePath(candidate.name);
      return;
    }
    const envs = candidate.nodes.map((node, index) => {
      const binding = bound[index];
      if (!binding) {
        this.ctx.notes.push(
          `service "${candidate.name}", version "${versions[index]!.name}": no task definition runs node "${this.ctx.nodeNames.get(node)}"; it gets the service's env only`,
        );
        return undefined;
      }
      this.ctx.wentTo.set(
        binding.task,
        `service "${candidate.name}", version "${versions[index]!.name}" (bound by ${binding.how})`,
      );
      return this.taskEnv(candidate.name, binding, spec.port);
    });
    const present = envs.filter((e): e is Record<string, string> => e !== undefined);
    const shared = Object.fromEntries(
      Object.entries(present[0] ?? {}).filter(
        ([key, value]) => present.every((e) => e[key] === value) && present.length === envs.length,
      ),
    );
    if (Object.keys(shared).length > 0) spec.env = shared;
    envs.forEach((env, index) => {
      const own = Object.fromEntries(Object.entries(env ?? {}).filter(([key]) => !(key in shared)));
      if (Object.keys(own).length > 0) versions[index]!.env = own;
    });
    const firstBinding = bound.find((b) => b !== undefined)!;
    const container = appContainer(firstBinding.task, spec.port);
    const image = container?.Image;
    if (image instanceof Unresolved || image === undefined) {
      required(
        firstBinding.task,
        ['ContainerDefinitions', containerIndex(firstBinding.task, container), 'Image'],
        `the image of service "${candidate.name}"`,
      );
    }
    const problem = imageReferenceProblem(image);
    if (problem) {
      this.ctx.notes.push(
        `service "${candidate.name}": its tasks run image "${String(image)}", which ${problem.replace(/^is /, 'is ')}; set \`image\` by hand`,
      );
    } else {
      spec.image = String(image);
    }
    const images = new Set(bound.map((b) => b && appContainer(b.task, spec.port)?.Image));
    if (images.size > 1) {
      this.ctx.notes.push(
        `service "${candidate.name}": its versions run different images (${[...images].join(', ')}); a topology service has one image, ${String(image)} was kept`,
      );
    }
    if (spec.image) {
      this.ctx.notes.push(
        `service "${candidate.name}": the cloud runs its image; to run it with \`npm start\`, give it a \`command\` and point codePath at its code`,
      );
    }
    const cpu = asNumber(optional(firstBinding.task, ['Cpu']));
    const memory = asNumber(optional(firstBinding.task, ['Memory']));
    if (cpu !== undefined && memory !== undefined) spec.size = { cpu, memoryLimitMiB: memory };
  }

  /** The app container's env; values only deployment knows are left out and noted. */
  private taskEnv(service: string, binding: TaskBinding, port: number): Record<string, string> {
    const container = appContainer(binding.task, port);
    const env: Record<string, string> = {};
    for (const entry of container?.Environment ?? []) {
      const name = String(entry.Name);
      if (RENDERER_ENV.includes(name)) continue;
      if (
        typeof entry.Value === 'string' ||
        typeof entry.Value === 'number' ||
        typeof entry.Value === 'boolean'
      ) {
        env[name] = String(entry.Value);
      } else {
        this.ctx.notes.push(
          `service "${service}": env ${name} of task ${binding.task.id} is known only at deployment (${(entry.Value as Unresolved | undefined)?.reason ?? 'no value'}); set it by hand`,
        );
      }
    }
    return env;
  }
}
