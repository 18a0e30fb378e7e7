import { describe, expect, it } from 'vitest';
import {
  FAULTS_NOT_INJECTED_WARNING,
  MeshProvider,
  MeshValidationError,
  type MeshedSystem,
} from '../src';
import {
  canary,
  containerNamed,
  envOf,
  resourcesOf,
  synthesize,
  taskOf,
  twoServices,
  type Cfn,
  SYNTH_TIMEOUT_MS,
} from './fixtures';

const messages = (system: MeshedSystem, type: string) =>
  system.node.metadata.filter((m) => m.type === type).map((m) => String(m.data));

/** The canary with color's traffic policy set, blue failing on purpose. */
function withPolicy() {
  const base = canary();
  return {
    ...base,
    services: base.services.map((s) =>
      s.name === 'color'
        ? {
            ...s,
            retries: { attempts: 2, perTryTimeoutMs: 1500, on: ['5xx' as const, 'reset' as const] },
            outlierDetection: { consecutive5xx: 4, ejectMs: 20_000, maxEjectionPercent: 30 },
            versions: s.versions.map((v) =>
              v.name === 'blue' ? { ...v, faults: { abort: { percent: 50, status: 503 } } } : v,
            ),
          }
        : s,
    ),
  };
}

describe('GIVEN color retried twice, with outlier detection and a fault on blue', () => {
  it(
    'WHEN App Mesh synthesizes THEN every color route has its RetryPolicy and each color node its OutlierDetection',
    () => {
      const { template, system } = synthesize(withPolicy(), MeshProvider.appMesh());
      const routes = Object.values(resourcesOf(template, 'AWS::AppMesh::Route'))
        .map((r) => r.Properties.Spec)
        .filter((spec: Cfn) => JSON.stringify(spec).includes('SystemColor'));
      expect(routes).toHaveLength(3);
      for (const route of routes) {
        expect(route.HttpRoute.RetryPolicy).toEqual({
          MaxRetries: 2,
          PerRetryTimeout: { Unit: 'ms', Value: 1500 },
          HttpRetryEvents: ['server-error'],
          TcpRetryEvents: ['connection-error'],
        });
      }
      for (const name of ['color-red', 'color-blue']) {
        template.hasResourceProperties('AWS::AppMesh::VirtualNode', {
          VirtualNodeName: name,
          Spec: {
            Listeners: [
              {
                OutlierDetection: {
                  MaxServerErrors: 4,
                  BaseEjectionDuration: { Unit: 'ms', Value: 20000 },
                  Interval: { Unit: 'ms', Value: 10000 },
                  MaxEjectionPercent: 30,
                },
              },
            ],
          },
        });
      }
      expect(messages(system, 'aws:cdk:warning')).toEqual([
        expect.stringContaining(
          `faults of color blue are not injected: the AWS flavors inject no faults; rehearse them with the local runner (npm start), which applies them [ack: ${FAULTS_NOT_INJECTED_WARNING}]`,
        ),
      ]);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'WHEN VPC Lattice synthesizes THEN the caller retries through its env, and outlier detection becomes health checks, both said',
    () => {
      const { template, system } = synthesize(withPolicy(), MeshProvider.vpcLattice());
      const client = containerNamed(taskOf(template, 'SystemClientVanillaTask'), 'app');
      expect(JSON.parse(envOf(client).UPSTREAM_RETRIES as string)).toEqual({
        COLOR_BACKEND: { attempts: 2, perTryTimeoutMs: 1500, on: ['5xx', 'reset'] },
      });
      const color = containerNamed(taskOf(template, 'SystemColorRedTask'), 'app');
      expect(envOf(color)).not.toHaveProperty('UPSTREAM_RETRIES');
      template.hasResourceProperties('AWS::VpcLattice::TargetGroup', {
        Config: {
          HealthCheck: {
            HealthCheckIntervalSeconds: 10,
            HealthyThresholdCount: 2,
            UnhealthyThresholdCount: 4,
          },
        },
      });
      const infos = messages(system, 'aws:cdk:info');
      expect(infos).toContain(
        'service "color": VPC Lattice does not retry; its callers (client) retry it themselves through service-kit\'s upstream client, configured by UPSTREAM_RETRIES',
      );
      expect(infos).toContain(
        'service "color": VPC Lattice has no outlier detection; it becomes target-group health checks of /health every 10 s: a task is out after 4 failed checks and back after 2 passed ones (the checks probe the health path, not the answers to calls)',
      );
      expect(messages(system, 'aws:cdk:warning')).toHaveLength(1);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'WHEN Service Connect synthesizes THEN it refuses retries and outlier detection, naming the fix',
    () => {
      const topology = twoServices({
        color: {
          retries: { attempts: 1 },
          outlierDetection: { consecutive5xx: 3, ejectMs: 1000 },
        },
      });
      let error: unknown;
      try {
        synthesize(topology, MeshProvider.serviceConnect());
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(MeshValidationError);
      expect((error as MeshValidationError).problems).toEqual([
        'service "color": retries cannot be set on Service Connect (its Envoy proxy retries failed requests and ejects failing tasks on its own, with settings ECS does not expose): remove "retries", or use MeshProvider.vpcLattice(), whose callers retry as the topology says',
        'service "color": outlierDetection cannot be set on Service Connect (its Envoy proxy retries failed requests and ejects failing tasks on its own, with settings ECS does not expose): remove "outlierDetection", or use MeshProvider.vpcLattice(), which turns it into target-group health checks',
      ]);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'WHEN Service Connect synthesizes a topology without a policy THEN it states what it does on its own, and no caller gets retry env',
    () => {
      const { template, system } = synthesize(twoServices(), MeshProvider.serviceConnect());
      expect(messages(system, 'aws:cdk:info')).toContain(
        'Service Connect: its Envoy proxy retries failed requests and ejects failing tasks on its own, with settings ECS does not expose; the topology sets neither retries nor outlierDetection here',
      );
      const client = containerNamed(taskOf(template, 'SystemClientVanillaTask'), 'app');
      expect(envOf(client)).not.toHaveProperty('UPSTREAM_RETRIES');
    },
    SYNTH_TIMEOUT_MS,
  );
});
