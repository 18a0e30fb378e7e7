import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { articleSizing } from '../src/cost/article-sizing';
import { monthlyCost } from '../src/cost/monthly';
import { demoUsage, priceTable } from '../src/cost/prices';
import { loadTemplates, shapeFromTemplates } from '../src/cost/template';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('shapeFromTemplates', () => {
  it('reads each service’s task size, architecture and count from a template', async () => {
    const shape = shapeFromTemplates(await loadTemplates(fixtures));
    expect(shape.tasks).toEqual([
      {
        name: 'BackendService',
        vcpu: 0.25,
        memoryMiB: 512,
        architecture: 'ARM64',
        count: 2,
        containers: ['app', 'otel-collector'],
        publicIp: false,
      },
      // No DesiredCount: CloudFormation starts one; no RuntimePlatform: x86.
      {
        name: 'ClientService',
        vcpu: 1,
        memoryMiB: 2048,
        architecture: 'X86_64',
        count: 1,
        containers: ['app'],
        publicIp: false,
      },
    ]);
    expect(shape).toMatchObject({
      applicationLoadBalancers: 1,
      natGateways: 1,
      logGroups: 2,
      privateDnsNamespaces: 0,
      // Two ALB subnets + the NAT gateway's Elastic IP.
      publicIpv4Addresses: 3,
    });
  });

  it('fails when a task size is not a literal, naming the resource', () => {
    const template = {
      Resources: {
        Td: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: { Cpu: { Ref: 'Param' }, Memory: '512' },
        },
        Svc: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Td' } } },
      },
    };
    expect(() => shapeFromTemplates([template])).toThrow(
      /task definition Td Cpu .*not a literal number/,
    );
  });

  it('fails when a folder holds no template, saying to synthesize', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'bench-no-templates-'));
    try {
      await expect(loadTemplates(empty)).rejects.toThrow(
        /no \*\.template\.json: run `npm run synth`/,
      );
    } finally {
      await rm(empty, { recursive: true });
    }
  });
});

describe('monthlyCost', () => {
  it('prices tasks by vCPU and GB hours per architecture, plus ALB, NAT, IPv4, logs', async () => {
    const cost = monthlyCost(shapeFromTemplates(await loadTemplates(fixtures)));
    const h = priceTable.hoursPerMonth;
    const arm = priceTable.fargate.ARM64;
    const x86 = priceTable.fargate.X86_64;
    const fargate =
      2 * h * (0.25 * arm.perVcpuHour + 0.5 * arm.perGbHour) +
      h * (1 * x86.perVcpuHour + 2 * x86.perGbHour);
    expect(cost.fargate).toBeCloseTo(fargate, 2);
    expect(cost.loadBalancer).toBeCloseTo(
      h * (priceTable.alb.perHour + demoUsage.albLcu * priceTable.alb.perLcuHour),
      2,
    );
    expect(cost.natGateways).toBeCloseTo(
      h * priceTable.natGateway.perHour +
        demoUsage.natGbPerGateway * priceTable.natGateway.perGbProcessed,
      2,
    );
    expect(cost.publicIpv4).toBeCloseTo(3 * h * priceTable.publicIpv4.perHour, 2);
    expect(cost.total).toBeCloseTo(
      cost.fargate + cost.loadBalancer + cost.natGateways + cost.publicIpv4 + cost.logs + cost.dns,
      1,
    );
  });

  it('prices the article’s sizing: three x86 tasks, no NAT gateway', () => {
    const cost = monthlyCost(articleSizing);
    expect(cost.natGateways).toBe(0);
    // 2 × (0.25 vCPU, 1 GiB) + (0.25 vCPU, 0.5 GiB) on x86 for a month.
    expect(cost.fargate).toBeCloseTo(730 * (0.75 * 0.04048 + 2.5 * 0.004445), 2);
    expect(cost.total).toBeGreaterThan(cost.fargate);
  });
});
