export {
  MESH_FLAVORS,
  MeshProvider,
  meshFlavorNamed,
  type FlavorRetirement,
  type MeshFlavorEntry,
} from './mesh-provider';
export type {
  IngressBinding,
  MeshBindContext,
  MeshFlavor,
  MeshFlavorName,
  ServicePart,
  SystemMesh,
  VersionIdentity,
  VersionTask,
} from './mesh-flavor';
export type { ServiceConnectProviderProps } from './providers/service-connect';
export { type VpcLatticeProviderProps } from './providers/vpc-lattice';
export { VPC_LATTICE_PREFIX_LIST_NAME } from './providers/lattice-prefix-list';
export { DnsQueryLogs, type DnsQueryLogsProps } from './parts/dns-firewall';
export type { AppMeshProviderProps } from './providers/app-mesh';
export { MeshedSystem, type MeshedSystemProps } from './meshed-system';
export { MeshedService, type MeshedServiceProps } from './meshed-service';
export {
  APP_CONTAINER_NAME,
  APP_PORT_NAME,
  ServiceVersion,
  type ServiceVersionProps,
} from './service-version';
export { OpenTelemetryTracing } from './parts/tracing';
export type { TraceSampling, TracingProviderProps } from './parts/tracing';
export { TaskScaling } from './parts/scaling';
export { EcsDeployment } from './parts/deployment';
export { RollbackAlarms, type RollbackAlarmsProps } from './parts/alarms';
export {
  MeshDashboard,
  type MeshDashboardProps,
  type SourceMetric,
  type TrafficMetrics,
} from './parts/dashboard';
export {
  MeshIngress,
  PLAIN_HTTP_WARNING,
  type IngressTarget,
  type IngressTargetOptions,
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
