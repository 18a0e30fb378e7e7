type StartPeer = (upstream: string, port: number) => Promise<() => Promise<void>>;

// Loaded on demand, so that each peer's process loads its own libraries and no one else's.
const peerLoaders = {
  floor: async (): Promise<StartPeer> => {
    const { startPassthroughProxy } = await import('../passthrough-proxy');
    return async (upstream, port) => (await startPassthroughProxy(upstream, port)).close;
  },
  'fastify-http-proxy': async (): Promise<StartPeer> =>
    (await import('./fastify-http-proxy')).startFastifyHttpProxy,
  'http-proxy-middleware': async (): Promise<StartPeer> =>
    (await import('./http-proxy-middleware')).startHttpProxyMiddleware,
  'express-http-proxy': async (): Promise<StartPeer> =>
    (await import('./express-http-proxy')).startExpressHttpProxy,
};

/** Every Node proxy the bench compares with our gateway, by the name `PEER` selects. */
export type PeerName = keyof typeof peerLoaders;

export const peerNames = Object.keys(peerLoaders) as PeerName[];

export function isPeerName(name: string | undefined): name is PeerName {
  return name !== undefined && Object.hasOwn(peerLoaders, name);
}

export function loadPeer(name: PeerName): Promise<StartPeer> {
  return peerLoaders[name]();
}
