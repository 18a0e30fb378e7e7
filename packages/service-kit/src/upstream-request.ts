import type { Dispatcher } from 'undici';
import request from 'undici/lib/api/api-request.js';

/**
 * `agent.request(options, callback)`, which undici's index would attach to every dispatcher:
 * for calls whose answer is read as a stream (the proxy dispatches with its own handler).
 */
export function requestUpstream(
  agent: Dispatcher,
  options: Dispatcher.RequestOptions,
  callback: (error: Error | null, data: Dispatcher.ResponseData) => void,
): void {
  request.call(agent, options, callback);
}
