export * from './server-kit';
export * from './http-app';
export { requestUpstream } from './upstream-request';
