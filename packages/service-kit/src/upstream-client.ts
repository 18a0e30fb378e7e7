import type { Agent } from 'undici';
import AgentClass from 'undici/lib/dispatcher/agent.js';

// Only undici's connection pools are loaded, not its index: that also evaluates fetch,
// WebSocket, caches and mocks, which the proxy never uses and which cost the gateway about
// 15 ms of start-up. Pinned undici version; the file is its public API's own.

/** Pooled keep-alive connections to any number of upstream origins. */
export function createUpstreamAgent(options: Agent.Options): Agent {
  return new AgentClass(options);
}
