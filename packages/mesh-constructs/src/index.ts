// The providers register themselves with MeshProvider's static factories on import.
import './providers/service-connect';
import './providers/app-mesh';

export {
  MeshProvider,
  type AppMeshProviderProps,
  type MeshBindContext,
  type MeshFlavor,
  type ServiceConnectProviderProps,
  type ServiceExtras,
  type TaskDefinitionExtras,
} from './mesh-provider';
export { MeshedSystem, type MeshedSystemProps } from './meshed-system';
export { MeshedService, type MeshedServiceProps } from './meshed-service';
export {
  APP_CONTAINER_NAME,
  APP_PORT_NAME,
  ServiceVersion,
  type ServiceVersionProps,
} from './service-version';
export {
  MeshIngress,
  PLAIN_HTTP_WARNING,
  type IngressTarget,
  type IngressTargetOptions,
  type MeshIngressProps,
} from './ingress';
export { MeshValidationError, validateForMesh } from './validation';
export { IMAGE_CONTEXT_EXCLUDES, imagesFromRepository } from './images';
export { ENVOY_IMAGE, OTEL_COLLECTOR_IMAGE, XRAY_DAEMON_IMAGE } from './private/defaults';
export { LOCAL_ONLY_TIMEOUT_WARNING } from './private/timeouts';
