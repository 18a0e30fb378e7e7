export * from './config';
export * from './http-app';
export * from './proxy';
export * from './run-service';
export * from './trace';
export * from './tracing';
export { UnsafeTargetError, upstreamPath } from './upstream-url';
export * from './upstream-signing';
export { TrustedPeers } from './trusted-peers';
