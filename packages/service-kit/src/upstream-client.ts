import type { Agent, Dispatcher } from 'undici';
import AgentClass from 'undici/lib/dispatcher/agent.js';
import request from 'undici/lib/api/api-request.js';

// Only undici's connection pools and its request call are loaded, not its index: that also
// evaluates fetch, WebSocket, caches and mocks, which the proxy never uses and which cost the
// gateway about 15 ms of start-up. Pinned undici version; both files are its public API's own.

/** Pooled keep-alive connections to any number of upstream origins. */
export function createUpstreamAgent(options: Agent.Options): Agent {
  return new AgentClass(options);
}

/** `agent.request(options, callback)`, which undici's index would attach to every dispatcher. */
export function requestUpstream(
  agent: Dispatcher,
  options: Dispatcher.RequestOptions,
  callback: (error: Error | null, data: Dispatcher.ResponseData) => void,
): void {
  request.call(agent, options, callback);
}
