// Test support shared by the services' and the local mesh's tests: real servers on 127.0.0.1,
// raw requests for what fetch refuses to send, spawned processes, bundled services,
// open-proxy attempts.
export * from './bundled-service';
export * from './open-proxy-attempts';
export * from './raw-request';
export * from './recording-server';
export * from './spawned-process';
export * from './process-state';
export * from './cleanups';
export * from './sigv4-verifier';
export * from './peer-read';
export * from './lattice-names';
