import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { demoUsage, type CpuArchitecture } from './prices';
import type { DeploymentShape, TaskShape } from './shape';

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
}

function literalNumber(value: unknown, where: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new Error(
      `${where} is ${JSON.stringify(value)}, not a literal number: cost needs concrete task sizes in the template`,
    );
  }
  return n;
}

function referencedId(value: unknown): string | undefined {
  if (value && typeof value === 'object' && 'Ref' in value)
    return String((value as { Ref: unknown }).Ref);
  return undefined;
}

function architectureOf(props: Record<string, unknown>, where: string): CpuArchitecture {
  const platform = props.RuntimePlatform as { CpuArchitecture?: unknown } | undefined;
  const arch = platform?.CpuArchitecture ?? 'X86_64';
  if (arch !== 'X86_64' && arch !== 'ARM64') {
    throw new Error(
      `${where} has CpuArchitecture ${JSON.stringify(arch)}: expected X86_64 or ARM64`,
    );
  }
  return arch;
}

/** Every resource of every template, keyed so that a Ref inside a template finds its target. */
function resourcesOf(templates: readonly CfnTemplate[]) {
  return templates.flatMap((template, index) =>
    Object.entries(template.Resources ?? {}).map(([id, resource]) => ({ index, id, resource })),
  );
}

/**
 * Reads the billable shape of a deployment from synthesized CloudFormation: each ECS service's
 * task definition (CPU, memory, architecture, containers) times its desired count, the
 * application load balancers, NAT gateways, log groups, Cloud Map DNS namespaces, VPC
 * Lattice services, the DNS Firewall's listed names and VPCs, pull-through cache rules, query
 * logged VPCs and deploy-time lookups.
 */
export function shapeFromTemplates(templates: readonly CfnTemplate[]): DeploymentShape {
  const all = resourcesOf(templates);
  const ofType = (type: string) => all.filter((r) => r.resource.Type === type);
  const tasks: TaskShape[] = [];
  for (const service of ofType('AWS::ECS::Service')) {
    const props = service.resource.Properties ?? {};
    const taskDefId = referencedId(props.TaskDefinition);
    const taskDef = all.find((r) => r.index === service.index && r.id === taskDefId);
    if (!taskDef) {
      throw new Error(
        `ECS service ${service.id} has no task definition in its template (TaskDefinition ${JSON.stringify(props.TaskDefinition)})`,
      );
    }
    const tdProps = taskDef.resource.Properties ?? {};
    const where = `task definition ${taskDef.id}`;
    const containers = (tdProps.ContainerDefinitions as { Name?: string }[] | undefined) ?? [];
    const network = props.NetworkConfiguration as
      { AwsvpcConfiguration?: { AssignPublicIp?: string } } | undefined;
    tasks.push({
      name: service.id,
      vcpu: literalNumber(tdProps.Cpu, `${where} Cpu`) / 1024,
      memoryMiB: literalNumber(tdProps.Memory, `${where} Memory`),
      architecture: architectureOf(tdProps, where),
      // CloudFormation starts one task when DesiredCount is left out.
      count:
        props.DesiredCount === undefined
          ? 1
          : literalNumber(props.DesiredCount, `service ${service.id} DesiredCount`),
      containers: containers.map((c) => c.Name ?? '?'),
      publicIp: network?.AwsvpcConfiguration?.AssignPublicIp === 'ENABLED',
    });
  }
  const albs = ofType('AWS::ElasticLoadBalancingV2::LoadBalancer').filter(
    (r) => (r.resource.Properties?.Type ?? 'application') === 'application',
  );
  const publicAlbAddresses = albs
    .filter((r) => (r.resource.Properties?.Scheme ?? 'internet-facing') === 'internet-facing')
    .reduce((sum, r) => {
      const subnets = r.resource.Properties?.Subnets;
      return sum + (Array.isArray(subnets) ? subnets.length : demoUsage.albZones);
    }, 0);
  const natGateways = ofType('AWS::EC2::NatGateway').length;
  return {
    tasks,
    applicationLoadBalancers: albs.length,
    natGateways,
    logGroups: ofType('AWS::Logs::LogGroup').length,
    privateDnsNamespaces: ofType('AWS::ServiceDiscovery::PrivateDnsNamespace').length,
    latticeServices: ofType('AWS::VpcLattice::Service').length,
    dnsFirewallDomains: ofType('AWS::Route53Resolver::FirewallDomainList').reduce((sum, r) => {
      const domains = r.resource.Properties?.Domains;
      return sum + (Array.isArray(domains) ? domains.length : 0);
    }, 0),
    dnsFirewallVpcs: ofType('AWS::Route53Resolver::FirewallRuleGroupAssociation').length,
    pullThroughCacheRules: ofType('AWS::ECR::PullThroughCacheRule').length,
    dnsQueryLogVpcs: ofType('AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation').length,
    deployTimeLookups: ofType('Custom::AWS').length,
    publicIpv4Addresses:
      publicAlbAddresses +
      natGateways +
      tasks.filter((t) => t.publicIp).reduce((sum, t) => sum + t.count, 0),
  };
}

/**
 * Reads every `*.template.json` of a cloud assembly folder and of its nested assemblies
 * (`assembly-*` folders, one per CDK stage); `asset.*` folders are build contexts and skipped.
 */
export async function loadTemplates(assemblyDir: string): Promise<CfnTemplate[]> {
  const files: string[] = [];
  const collect = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isFile() && entry.name.endsWith('.template.json')) files.push(full);
      if (entry.isDirectory() && entry.name.startsWith('assembly-')) await collect(full);
    }
  };
  await collect(assemblyDir);
  if (files.length === 0) {
    throw new Error(`${assemblyDir} holds no *.template.json: run \`npm run synth\` first`);
  }
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as CfnTemplate));
}
