import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MeshFlavor } from '../src';
import { appHealthCheck } from '../src/private/health-checks';
import {
  canary,
  containerNamed,
  containersOf,
  envOf,
  synthesize,
  taskOf,
  twoServices,
  SYNTH_TIMEOUT_MS,
  type Cfn,
  type Synthesized,
} from './fixtures';

const FLAVORS = [
  {
    flavor: 'service-connect',
    render: () => synthesize(twoServices(), MeshFlavor.serviceConnect()),
  },
  { flavor: 'appmesh (canary)', render: () => synthesize(canary(), MeshFlavor.appMesh()) },
] as const;

/** The fixture's services: color on 3000 with /health, client on 8080 with /healthz. */
const HEALTH_PATH_BY_PORT: Record<string, string> = { '3000': '/health', '8080': '/healthz' };

describe.each(FLAVORS)('GIVEN $flavor WHEN the task definitions render', ({ render }) => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = render();
  }, SYNTH_TIMEOUT_MS);

  it("THEN every app container checks its health path with the image's node, no shell", () => {
    const apps = containersOf(synth.template).filter((c: Cfn) => c.Name === 'app');
    expect(apps.length).toBeGreaterThanOrEqual(2);
    for (const app of apps) {
      const [form, program, flag, script] = app.HealthCheck.Command as string[];
      expect([form, program, flag]).toEqual(['CMD', 'node', '-e']);
      const port = String(envOf(app).PORT);
      expect(script).toContain(`"http://127.0.0.1:${port}${HEALTH_PATH_BY_PORT[port]}"`);
      expect(app.HealthCheck).toMatchObject({
        Interval: 5,
        Timeout: 2,
        Retries: 3,
        StartPeriod: 10,
      });
    }
  });

  it('THEN every sidecar the app depends on is health-checked and the app waits for it HEALTHY', () => {
    for (const task of Object.values(synth.template.findResources('AWS::ECS::TaskDefinition'))) {
      const containers = task.Properties.ContainerDefinitions as Cfn[];
      const app = containers.find((c) => c.Name === 'app');
      if (!app) continue;
      expect(app.DependsOn.length).toBeGreaterThan(0);
      for (const dependency of app.DependsOn as Cfn[]) {
        expect(dependency.Condition).toBe('HEALTHY');
        const sidecar = containers.find((c) => c.Name === dependency.ContainerName);
        expect(sidecar.HealthCheck, dependency.ContainerName).toBeDefined();
      }
    }
  });
});

describe('GIVEN Service Connect with tracing WHEN the collector sidecar renders', () => {
  let collector: Cfn;
  beforeAll(() => {
    const { template } = synthesize(twoServices(), MeshFlavor.serviceConnect());
    collector = containerNamed(taskOf(template, 'SystemColorRedTask'), 'otel-collector');
  }, SYNTH_TIMEOUT_MS);

  it("THEN it runs as the image's own user and is checked by the image's /healthcheck", () => {
    expect(collector.User).toBe('4317');
    expect(collector.HealthCheck.Command).toEqual(['CMD', '/healthcheck']);
    expect(envOf(collector).AOT_CONFIG_CONTENT).toMatch(
      /extensions:\n {2}health_check:\n {4}endpoint: 127\.0\.0\.1:13133[\s\S]*service:\n {2}extensions: \[health_check\]/,
    );
  });

  it('THEN a memory limiter below its hard limit drops spans first, before the batch', () => {
    const config = String(envOf(collector).AOT_CONFIG_CONTENT);
    const limit = Number(/limit_mib: (\d+)/.exec(config)![1]);
    const spike = Number(/spike_limit_mib: (\d+)/.exec(config)![1]);
    expect(limit).toBeLessThan(collector.Memory);
    expect(limit).toBeGreaterThan(collector.Memory / 2);
    expect(spike).toBeGreaterThan(0);
    expect(spike).toBeLessThan(limit);
    expect(config).toContain('processors: [memory_limiter, batch]');
  });
});

describe('GIVEN the app health check command WHEN run by node against a real server', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  async function serve(status: number): Promise<number> {
    server = createServer((request, response) => {
      response.statusCode = request.url === '/health' ? status : 404;
      response.end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  /** Runs the command as ECS would (exec form, no shell) and returns its exit code. */
  async function probe(port: number): Promise<number | null> {
    const [, program, ...args] = appHealthCheck(port, '/health').command;
    const child = spawn(program === 'node' ? process.execPath : program!, args, {
      stdio: 'ignore',
    });
    return new Promise((resolve) => child.on('exit', resolve));
  }

  it('THEN it exits 0 when the health path answers 200', async () => {
    expect(await probe(await serve(200))).toBe(0);
  });

  it('THEN it exits 1 when the health path answers 503', async () => {
    expect(await probe(await serve(503))).toBe(1);
  });

  it('THEN it exits 1 when nothing listens', async () => {
    const port = await serve(200);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    expect(await probe(port)).toBe(1);
  });
});
