import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTopology } from '@color-teller/topology/load';
import { App } from 'aws-cdk-lib';
import { ContainerImage } from 'aws-cdk-lib/aws-ecs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOPOLOGY_FILE, REPOSITORY_ROOT, buildColorTellerApp } from '../lib/app';

/** Synthesis on a busy 2-core machine; the services' images stand in, so no asset is staged. */
const SYNTH_TIMEOUT_MS = 120_000;
type Resource = { Type: string; Properties: Record<string, unknown> };

async function templateWith(context: Record<string, string>) {
  const outdir = mkdtempSync(join(tmpdir(), 'color-teller-options-'));
  const topology = await loadTopology(DEFAULT_TOPOLOGY_FILE, REPOSITORY_ROOT);
  const { app } = buildColorTellerApp({
    app: new App({ outdir, context }),
    topology,
    image: (service) => ContainerImage.fromRegistry(`example.com/${service.name}:test`),
  });
  const assembly = app.synth();
  return {
    template: assembly.getStackByName('ColorTeller-service-connect').template as {
      Resources: Record<string, Resource>;
      Outputs: Record<string, { Value: unknown; Description: string }>;
    },
    missing: assembly.manifest.missing ?? [],
  };
}

describe('GIVEN -c domainName, -c hostedZoneId and -c certificateArn', () => {
  it(
    'THEN an alias record serves the name, Url is https://<name>, and nothing needs a lookup',
    async () => {
      const { template, missing } = await templateWith({
        certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/x',
        domainName: 'colors.example.com',
        hostedZoneId: 'Z0000000000000000000',
      });
      expect(missing).toEqual([]);
      const records = Object.values(template.Resources).filter(
        (r) => r.Type === 'AWS::Route53::RecordSet',
      );
      expect(records.map((r) => [r.Properties.Name, r.Properties.HostedZoneId])).toEqual([
        ['colors.example.com.', 'Z0000000000000000000'],
      ]);
      const urls = Object.entries(template.Outputs).filter(([id]) => id.startsWith('SystemUrl'));
      expect(urls.map(([, o]) => o.Value)).toEqual(['https://colors.example.com']);
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe('GIVEN -c natGateways=2', () => {
  it(
    'THEN each AZ has its own NAT gateway',
    async () => {
      const { template } = await templateWith({ natGateways: '2' });
      const nats = Object.values(template.Resources).filter(
        (r) => r.Type === 'AWS::EC2::NatGateway',
      );
      expect(nats).toHaveLength(2);
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe('GIVEN -c dnsQueryLogs=true', () => {
  it(
    "THEN the VPC's DNS queries are logged into an encrypted /aws/vendedlogs/ group, and not without it",
    async () => {
      const typed = (resources: Record<string, Resource>, type: string) =>
        Object.entries(resources).filter(([, r]) => r.Type === type);
      const { template } = await templateWith({ dnsQueryLogs: 'true' });
      const [config] = typed(
        template.Resources,
        'AWS::Route53Resolver::ResolverQueryLoggingConfig',
      );
      const [, association] = typed(
        template.Resources,
        'AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation',
      )[0]!;
      expect(association.Properties.ResolverQueryLogConfigId).toEqual({
        'Fn::GetAtt': [config![0], 'Id'],
      });
      expect(JSON.stringify(association.Properties.ResourceId)).toMatch(/SystemVpc/);
      const [logsId, logGroup] = typed(template.Resources, 'AWS::Logs::LogGroup').find(([id]) =>
        id.startsWith('DnsQueryLogs'),
      )!;
      expect(config![1].Properties.DestinationArn).toEqual({ 'Fn::GetAtt': [logsId, 'Arn'] });
      expect(logGroup.Properties.LogGroupName).toBe(
        '/aws/vendedlogs/route53resolver/ColorTeller-service-connect/queries',
      );
      expect(logGroup.Properties.KmsKeyId).toBeDefined();
      const without = await templateWith({});
      expect(
        typed(without.template.Resources, 'AWS::Route53Resolver::ResolverQueryLoggingConfig'),
      ).toEqual([]);
    },
    SYNTH_TIMEOUT_MS,
  );
});
