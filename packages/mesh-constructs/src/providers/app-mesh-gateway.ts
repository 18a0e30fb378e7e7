import * as appmesh from 'aws-cdk-lib/aws-appmesh';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import type { MeshBindContext } from '../contracts';
import { GATEWAY_PORT, containerMemoryLimitsMiB, defaultTaskSize } from '../private/defaults';
import {
  armTaskDefinition,
  closedSecurityGroup,
  encryptedLogGroup,
  hardenedFargateService,
} from '../private/hardening';
import { ENVOY_HEALTH, addEnvoy, addXrayDaemon } from './envoy';
import { acknowledgeRetired } from './retired';

export interface AppMeshGatewayProps {
  readonly context: MeshBindContext & { readonly mesh: appmesh.Mesh };
  readonly target: appmesh.VirtualService;
  readonly tracing: boolean;
  readonly desiredCount: number;
}

/** The article's step 5: Envoy as the main container of its own service, a virtual gateway. */
export class AppMeshGateway extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  readonly service: ecs.FargateService;

  constructor(scope: Construct, id: string, props: AppMeshGatewayProps) {
    super(scope, id);
    const { mesh, cluster, vpc, logKey } = props.context;
    const gateway = new appmesh.VirtualGateway(this, 'VirtualGateway', {
      mesh,
      listeners: [appmesh.VirtualGatewayListener.http({ port: GATEWAY_PORT })],
      accessLog: appmesh.AccessLog.fromFilePath('/dev/stdout'),
    });
    acknowledgeRetired(gateway);
    const route = gateway.addGatewayRoute('Root', {
      routeSpec: appmesh.GatewayRouteSpec.http({
        routeTarget: props.target,
        match: { path: appmesh.HttpGatewayRoutePathMatch.startsWith('/') },
      }),
    });
    acknowledgeRetired(route);

    const logGroup = encryptedLogGroup(this, 'Logs', logKey);
    const size = defaultTaskSize();
    const task = armTaskDefinition(this, 'Task', size);
    addEnvoy(task, {
      resourceArn: gateway.virtualGatewayArn,
      logGroup,
      tracing: props.tracing,
      memoryLimitMiB: containerMemoryLimitsMiB().gateway,
      portMappings: [{ containerPort: GATEWAY_PORT }, { containerPort: ENVOY_HEALTH.port }],
    });
    gateway.grants.streamAggregatedResources(task.taskRole);
    if (props.tracing) addXrayDaemon(task, logGroup);

    this.securityGroup = closedSecurityGroup(
      this,
      'SecurityGroup',
      vpc,
      'Ingress gateway: admits only the ALB',
    );
    this.service = hardenedFargateService(this, 'Service', {
      cluster,
      taskDefinition: task,
      securityGroups: [this.securityGroup],
      desiredCount: props.desiredCount,
    });
  }
}
