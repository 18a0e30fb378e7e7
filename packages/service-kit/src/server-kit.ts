// Everything a service needs to start serving without fastify: its server, the proxy as a front
// route, configuration, tracing, signing and the run loop. A gateway imports this first and
// listens at once; `createServiceApp` (the package's index) loads fastify when it is needed.
export * from './config';
export * from './proxy';
export * from './run-service';
export { ServiceServer, type ServiceServerOptions } from './service-server';
export type { LogDestination } from './log-destination';
export * from './trace';
export * from './tracing';
export { UnsafeTargetError, upstreamPath } from './upstream-url';
export { pathOf } from './request-target';
export * from './upstream-signing';
export { TrustedPeers } from './trusted-peers';
export { createUpstreamAgent } from './upstream-client';
export { retryInterceptor, tryOutcomeOf } from './upstream-retry';
export type { RetryInterceptorOptions, UpstreamRetryPolicy } from './upstream-retry';
export { callerRetryInterceptors, upstreamRetriesVariable } from './upstream-retry-env';
export type { UpstreamRetries } from './upstream-retry-env';
export { FAULT_HEADER, faultInterceptor } from './upstream-faults';
export { outcomeInterceptor } from './upstream-outcomes';
