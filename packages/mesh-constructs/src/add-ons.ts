/**
 * The add-ons a `MeshedSystem` composes around its flavor, each a single job. `defaultAddOns()`
 * returns fresh objects every call, so a list may be shortened, reordered or extended freely:
 * `defaultAddOns().filter((addOn) => addOn.name !== 'dashboard')`, or `[...defaultAddOns(), mine]`.
 */
import type { Construct } from 'constructs';
import type { AddOnContext, MeshAddOn, ServicePart } from './contracts';
import { RollbackAlarms } from './parts/alarms';
import { MeshDashboard } from './parts/dashboard';
import { EcsDeployment } from './parts/deployment';
import { DnsEgressFirewall } from './parts/dns-firewall';
import { TaskScaling } from './parts/scaling';
import { OpenTelemetryTracing, traceSamplingProblems, type TraceSampling } from './parts/tracing';
import { isMeshFlavorName } from './mesh-flavors';

export interface TracingAddOnProps {
  /**
   * Which requests the apps trace, where they trace with OpenTelemetry.
   * @default - X-Ray's default rule: 1 new trace a second per task, then 5% of the rest
   */
  readonly sampling?: TraceSampling;
}

/**
 * Traces to X-Ray: through the flavor's own proxies where they trace (App Mesh's Envoy), else with
 * OpenTelemetry from the apps to a collector sidecar.
 */
export class TracingAddOn implements MeshAddOn {
  readonly name = 'tracing';

  constructor(private readonly props: TracingAddOnProps = {}) {
    const problems = traceSamplingProblems(props.sampling);
    if (problems.length > 0) {
      throw new Error(`TracingAddOn cannot sample as asked:\n- ${problems.join('\n- ')}`);
    }
  }

  bind(_scope: Construct, context: AddOnContext): ServicePart {
    if (context.flavor.traceWithOwnProxies?.()) return {};
    return new OpenTelemetryTracing(this.props.sampling);
  }
}

/** ECS native deployment strategies (canary, linear, blue/green) from each service's `deployment`. */
export class DeploymentAddOn implements MeshAddOn {
  readonly name = 'deployment';

  bind(): ServicePart {
    return new EcsDeployment();
  }
}

/** A rollback alarm on the server errors of each version that deploys by shifting traffic. */
export class RollbackAlarmsAddOn implements MeshAddOn {
  readonly name = 'alarms';

  bind(_scope: Construct, context: AddOnContext): ServicePart {
    const { flavor } = context;
    return new RollbackAlarms({
      ingressService: context.topology.ingress.service,
      errorMetric: (version) => flavor.serverErrors?.(version),
    });
  }
}

/** Task autoscaling from each service's `scaling`: on CPU, and on ALB requests where it fronts. */
export class ScalingAddOn implements MeshAddOn {
  readonly name = 'scaling';

  bind(): ServicePart {
    return new TaskScaling();
  }
}

/** A CloudWatch dashboard of the system, its console URL a stack output. */
export class DashboardAddOn implements MeshAddOn {
  readonly name = 'dashboard';

  bind(scope: Construct, context: AddOnContext): ServicePart {
    const { flavor } = context;
    return new MeshDashboard(scope, 'Dashboard', {
      topology: context.topology,
      flavor: context.flavorName,
      meshTraffic: (version) => flavor.trafficMetrics?.(version),
      note: flavor.dashboardNote,
    });
  }
}

/**
 * A Route 53 Resolver DNS Firewall on the VPC: tasks resolve the topology's externals and the AWS
 * endpoints their flavor needs, nothing else. It filters every query of the VPC: leave it out of
 * the list when the VPC is shared with other workloads.
 */
export class DnsFirewallAddOn implements MeshAddOn {
  readonly name = 'dns-firewall';

  bind(scope: Construct, context: AddOnContext): ServicePart {
    const flavor = context.flavor.egressNamesOf;
    if (flavor === undefined) return {};
    if (!isMeshFlavorName(flavor)) {
      throw new Error(
        `the ${context.flavorName} flavor names egressNamesOf "${flavor}", which is not in MESH_FLAVORS: name one of them, or none`,
      );
    }
    new DnsEgressFirewall(scope, 'EgressFirewall', {
      topology: context.topology,
      vpc: context.vpc,
      flavor,
    });
    return {};
  }
}

/** Tracing, deployment strategies, rollback alarms, autoscaling, the dashboard and the DNS firewall, in the order they run. */
export function defaultAddOns(): MeshAddOn[] {
  return [
    new TracingAddOn(),
    new DeploymentAddOn(),
    new RollbackAlarmsAddOn(),
    new ScalingAddOn(),
    new DashboardAddOn(),
    new DnsFirewallAddOn(),
  ];
}
