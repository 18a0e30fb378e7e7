/** The path of a request target (`/a/b?q` → `/a/b`): logs and routes leave the query out. */
export function pathOf(requestTarget: string): string {
  const query = requestTarget.indexOf('?');
  return query === -1 ? requestTarget : requestTarget.slice(0, query);
}

/** `?query` of a request target, or ''. */
export function queryOf(requestTarget: string): string {
  const query = requestTarget.indexOf('?');
  return query === -1 ? '' : requestTarget.slice(query);
}
