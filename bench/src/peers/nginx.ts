import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePorts } from '@color-teller/local-mesh';
import { spawnHttpProcess, type ServiceProcess } from '../harness/service-process';

/** Debian's nginx; the reference row is measured only when it is installed. */
export const nginxBinary = '/usr/sbin/nginx';

export function nginxInstalled(): boolean {
  return existsSync(nginxBinary);
}

/** One worker, keep-alive to the backend, no access log: nginx's cheapest reverse-proxy setup. */
export function nginxConfig(prefix: string, listenPort: number, upstream: string): string {
  const { host } = new URL(upstream);
  return `daemon off;
master_process off;
worker_processes 1;
error_log stderr error;
pid ${prefix}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  # Node servers keep a connection for any number of requests; nginx closes it after 1,000.
  keepalive_requests 1000000;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  upstream backend { server ${host}; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/** Starts nginx in the foreground, one process (no master), so /proc figures are its own. */
export async function startNginx(upstream: string): Promise<ServiceProcess> {
  const prefix = await mkdtemp(path.join(tmpdir(), 'bench-nginx-'));
  const [port] = await freePorts(1);
  const conf = path.join(prefix, 'nginx.conf');
  await writeFile(conf, nginxConfig(prefix, port!, upstream));
  return spawnHttpProcess({
    name: 'nginx',
    command: nginxBinary,
    args: ['-p', prefix, '-c', conf],
    port,
    healthPath: '/color',
  });
}
