export {
  MESH_FLAVORS,
  isMeshFlavorName,
  meshFlavorNamed,
  type FlavorRetirement,
  type MeshFlavorDescription,
  type MeshFlavorName,
} from './mesh-flavors';
export { MeshFlavor } from './mesh-flavor';
export type {
  AddOnContext,
  BoundMeshFlavor,
  IMeshedService,
  IMeshFlavor,
  IMeshIngress,
  IngressAttachment,
  IngressBinding,
  IngressGateway,
  IngressTarget,
  IngressTargetOptions,
  IServiceVersion,
  MeshAddOn,
  MeshBindContext,
  ServicePart,
  SourceMetric,
  TrafficMetrics,
  VersionIdentity,
  VersionTask,
} from './contracts';
export type { VpcLatticeFlavorProps } from './providers/vpc-lattice';
export { VPC_LATTICE_PREFIX_LIST_NAME } from './providers/lattice-prefix-list';
export { DnsQueryLogs, type DnsQueryLogsProps } from './parts/dns-firewall';
export { MeshedSystem, type MeshedSystemProps } from './meshed-system';
export {
  DashboardAddOn,
  DeploymentAddOn,
  DnsFirewallAddOn,
  RollbackAlarmsAddOn,
  ScalingAddOn,
  TracingAddOn,
  type TracingAddOnProps,
  defaultAddOns,
} from './add-ons';
export { MeshedService, type MeshedServiceProps } from './meshed-service';
export {
  APP_CONTAINER_NAME,
  APP_PORT_NAME,
  ServiceVersion,
  type ServiceVersionProps,
} from './service-version';
export { albFrontsVersions } from './parts/ecs-native';
export { OpenTelemetryTracing } from './parts/tracing';
export type { TraceSampling } from './parts/tracing';
export { TaskScaling } from './parts/scaling';
export { EcsDeployment } from './parts/deployment';
export { RollbackAlarms, type RollbackAlarmsProps } from './parts/alarms';
export { MeshDashboard, type MeshDashboardProps } from './parts/dashboard';
export {
  MeshIngress,
  PLAIN_HTTP_WARNING,
  type MeshIngressOptions,
  type MeshIngressProps,
} from './ingress';
export { MeshValidationError, validateForMesh } from './validation';
export {
  IMAGE_CONTEXT_EXCLUDES,
  ImageSourceError,
  imagesFromRepository,
  imagesOfTopology,
} from './images';
export { appHealthProbe, healthcheckOf, type AppHealthProbe } from './app-health-probe';
export { ENVOY_IMAGE, OTEL_COLLECTOR_IMAGE, XRAY_DAEMON_IMAGE } from './private/defaults';
export { LOCAL_ONLY_TIMEOUT_WARNING } from './private/timeouts';
export { UNWATCHED_HEALTH_WARNING } from './private/unwatched-health';
export { FAULTS_NOT_INJECTED_WARNING } from './private/traffic-policy';
