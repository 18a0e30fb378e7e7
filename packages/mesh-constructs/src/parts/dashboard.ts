/** A CloudWatch dashboard per system: requests, 5xx and p99 per version, and the tasks' CPU and memory. */
import type { Topology } from '@color-teller/topology';
import { Aws, CfnOutput, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type {
  IngressGateway,
  IngressTarget,
  IServiceVersion,
  ServicePart,
  TrafficMetrics,
} from '../contracts';

export type { SourceMetric, TrafficMetrics } from '../contracts';

export interface MeshDashboardProps {
  readonly topology: Topology;
  /** The flavor's name, shown in the dashboard's header. */
  readonly flavor: string;
  /**
   * The flavor's own figures for a version's inbound requests.
   * @default - only the ALB's figures (for the versions it fronts) and each version's CPU and memory
   */
  readonly meshTraffic?: (version: IServiceVersion) => TrafficMetrics | undefined;
  /**
   * Markdown under the header: what the flavor does not publish to CloudWatch.
   * @default - none
   */
  readonly note?: string;
}

/** One minute, the finest period the AWS metrics shown here are published at. */
const PERIOD = Duration.minutes(1);
const WIDGET_WIDTH = 6;
const WIDGET_HEIGHT = 6;
/** CloudWatch's limit on a dashboard's name. */
const MAX_NAME_LENGTH = 255;

/** A metric published once a minute in `namespace`, e.g. a mesh's count of a version's requests. */
export function minuteMetric(
  namespace: string,
  metricName: string,
  dimensionsMap: Record<string, string>,
  statistic: string,
): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace, metricName, dimensionsMap, statistic, period: PERIOD });
}

/** `<stack>-<system>` in the characters CloudWatch allows in a dashboard's name. */
export function dashboardNameOf(stackName: string, systemName: string): string {
  const parts = Token.isUnresolved(stackName) ? [systemName] : [stackName, systemName];
  return parts
    .join('-')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .slice(0, MAX_NAME_LENGTH);
}

/**
 * An ALB target group's figures, its response time turned from seconds into milliseconds;
 * `key` names the seconds in the expression and must differ between target groups of one graph.
 */
function albTraffic(
  targetGroup: elbv2.ApplicationTargetGroup,
  source: string,
  key: string,
): TrafficMetrics {
  const metrics = targetGroup.metrics;
  return {
    source,
    requests: metrics.requestCount({ period: PERIOD, statistic: 'Sum' }),
    serverErrors: metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
      period: PERIOD,
      statistic: 'Sum',
    }),
    latencyP99Ms: new cloudwatch.MathExpression({
      expression: `${key} * 1000`,
      usingMetrics: { [key]: metrics.targetResponseTime({ period: PERIOD, statistic: 'p99' }) },
      period: PERIOD,
    }),
  };
}

/** One row of the dashboard: CPU and memory, then the traffic graphs once a source measures it. */
class DashboardRow {
  private readonly row = new cloudwatch.Row();
  private traffic?: {
    readonly requests: cloudwatch.GraphWidget;
    readonly serverErrors: cloudwatch.GraphWidget;
    readonly latency: cloudwatch.GraphWidget;
  };

  constructor(
    dashboard: cloudwatch.Dashboard,
    private readonly title: string,
    service: ecs.FargateService,
  ) {
    const usage = this.graph('CPU and memory', { label: '%', max: 100, showUnits: false });
    usage.addLeftMetric(service.metricCpuUtilization({ period: PERIOD, label: 'CPU %' }));
    usage.addLeftMetric(service.metricMemoryUtilization({ period: PERIOD, label: 'memory %' }));
    this.row.addWidget(usage);
    dashboard.addWidgets(this.row);
  }

  add(traffic: TrafficMetrics): void {
    if (!this.traffic) {
      this.traffic = {
        requests: this.graph('requests / min'),
        serverErrors: this.graph('5xx / min'),
        latency: this.graph('p99 latency', { label: 'ms', showUnits: false }),
      };
      for (const graph of Object.values(this.traffic)) this.row.addWidget(graph);
    }
    const label = { label: traffic.source };
    this.traffic.requests.addLeftMetric(traffic.requests.with(label));
    this.traffic.serverErrors.addLeftMetric(traffic.serverErrors.with(label));
    this.traffic.latency.addLeftMetric(
      traffic.latencyP99Ms.with({ label: `${traffic.source} p99` }),
    );
  }

  private graph(what: string, leftYAxis?: cloudwatch.YAxisProps): cloudwatch.GraphWidget {
    return new cloudwatch.GraphWidget({
      title: `${this.title}: ${what}`,
      width: WIDGET_WIDTH,
      height: WIDGET_HEIGHT,
      period: PERIOD,
      leftYAxis: { min: 0, ...leftYAxis },
    });
  }
}

/**
 * The system's dashboard: a header, then a row per version (and per ingress gateway) with its CPU
 * and memory, and its requests, 5xx and p99 latency from each source that measures them. The
 * console URL is a stack output.
 */
export class MeshDashboard extends Construct implements ServicePart {
  readonly dashboard: cloudwatch.Dashboard;
  readonly dashboardName: string;
  private readonly rows = new Map<IServiceVersion, DashboardRow>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: MeshDashboardProps,
  ) {
    super(scope, id);
    this.dashboardName = dashboardNameOf(Stack.of(this).stackName, props.topology.name);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: this.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: [
          `# ${props.topology.name} (${props.flavor})`,
          "Requests, server errors (5xx) and p99 latency per version from each source that measures them; CPU and memory of each version's tasks. Traces: CloudWatch → X-Ray traces → Trace Map, filter by service name.",
          ...(props.note ? [props.note] : []),
        ].join('\n\n'),
        width: 24,
        height: props.note ? 4 : 3,
      }),
    );
    new CfnOutput(this, 'Url', {
      value: `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${this.dashboardName}`,
      description: `The CloudWatch dashboard of ${props.topology.name}`,
    });
  }

  versionReady(version: IServiceVersion): void {
    const row = new DashboardRow(this.dashboard, version.qualifiedName, version.fargateService);
    this.rows.set(version, row);
    const traffic = this.props.meshTraffic?.(version);
    if (traffic) row.add(traffic);
  }

  /** The ALB's figures join the version's row (both target groups when ECS shifts traffic). */
  ingressTargetReady(version: IServiceVersion, target: IngressTarget): void {
    const row = this.rows.get(version);
    if (!row) throw new Error(`${version.qualifiedName} has no row on the dashboard`);
    for (const traffic of ingressTraffic(target)) row.add(traffic);
  }

  /** A row for a gateway the ALB fronts in front of the versions (App Mesh's virtual gateway). */
  ingressGatewayReady(gateway: IngressGateway): void {
    const row = new DashboardRow(this.dashboard, gateway.title, gateway.service);
    for (const traffic of ingressTraffic(gateway.target)) row.add(traffic);
  }
}

function ingressTraffic(target: IngressTarget): TrafficMetrics[] {
  return [
    albTraffic(target.targetGroup, 'ALB', 'albSeconds'),
    ...(target.alternateTargetGroup
      ? [albTraffic(target.alternateTargetGroup, 'ALB alternate', 'alternateSeconds')]
      : []),
  ];
}
