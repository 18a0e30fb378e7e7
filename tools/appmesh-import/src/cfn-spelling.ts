/** Words App Mesh's CloudFormation resources spell in capitals (`DNS`, `TLS`, `HTTP` …). */
export const CFN_ACRONYMS: Readonly<Record<string, string>> = {
  dns: 'DNS',
  tls: 'TLS',
  http: 'HTTP',
  http2: 'HTTP2',
  grpc: 'GRPC',
  tcp: 'TCP',
  acm: 'ACM',
};
