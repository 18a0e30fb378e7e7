import type { EgressConfig } from './config';

/** The 403 body for a call to `name`, which is not among the caller's externals. */
export function egressRefusal(
  config: Pick<EgressConfig, 'caller' | 'declared'>,
  name: string,
): { error: 'external_not_allowed'; message: string } {
  const shown = JSON.stringify(name);
  const listIt = `list { service: ${shown} } in the backends of "${config.caller}"`;
  const message = config.declared.includes(name)
    ? `"${config.caller}" may not call the external ${shown}: ${listIt}`
    : `${shown} is not an external of the topology: declare it in externals ({ name: ${shown}, baseUrl: 'https://…' }) and ${listIt}`;
  return { error: 'external_not_allowed', message };
}

/** The external named by the first segment of a request target: `/colornames/x?y` → `colornames`. */
export function externalNameOf(requestTarget: string): string {
  const path = requestTarget.split(/[?#]/, 1)[0]!;
  return path.split('/')[1] ?? '';
}
