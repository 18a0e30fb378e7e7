import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LATTICE_NAMES_TO_LOOPBACK, latticeServiceName } from '@color-teller/service-kit/testing';
import { readCpuMs, startService, type ServiceProcess } from '../harness/service-process';
import {
  failuresOf,
  measureInterleaved,
  responsesOf,
  type LoadFigures,
  type TargetFigures,
} from '../load';
import type { Figure, MeasureResult } from '../report/figures';
import { ratio, round } from '../stats';

export interface SigningPlan {
  readonly rounds: number;
  readonly warmupSec: number;
  readonly durationSec: number;
  readonly connections: number;
}

export const signingPlan: SigningPlan = {
  rounds: 3,
  warmupSec: 1,
  durationSec: 3,
  connections: 50,
};

/** Example credentials (AWS's documentation key) served by a stand-in ECS credentials endpoint. */
async function startCredentialsStandIn(): Promise<{
  url: string;
  calls: () => number;
  server: Server;
}> {
  let calls = 0;
  const server = createServer((_request, response) => {
    calls += 1;
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        AccessKeyId: 'AKIDEXAMPLE',
        SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
        Token: 'bench-session-token',
        Expiration: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v2/credentials`, calls: () => calls, server };
}

/** CPU-ms the gateway spent per 1,000 answered requests over the measured rounds. */
function cpuMsPer1000(cpuMs: number, target: TargetFigures): number {
  return round((cpuMs * 1000) / Math.max(responsesOf(target), 1), 1);
}

function hopFigures(id: 'unsigned' | 'signed', median: LoadFigures, cpuPer1000: number): Figure[] {
  const label = id === 'signed' ? 'gateway hop, SigV4-signed' : 'gateway hop, unsigned';
  return [
    {
      id: `signing.${id}.requestsPerSec`,
      label: `${label}: requests/s`,
      value: median.requestsPerSec,
      unit: 'req/s',
    },
    {
      id: `signing.${id}.cpuMsPer1000`,
      label: `${label}: gateway CPU per 1,000 requests`,
      value: cpuPer1000,
      unit: 'CPU-ms',
    },
  ];
}

/**
 * What SigV4 signing costs the calling service: two gateways in front of the same backend, one
 * with `UPSTREAM_SIGV4_SERVICE` (credentials from a local stand-in endpoint), one without,
 * loaded in turn in the same rounds. CPU comes from /proc, counted over the measured rounds only.
 */
export async function measureSigningCost(
  backend: ServiceProcess,
  plan: SigningPlan = signingPlan,
): Promise<MeasureResult> {
  const credentials = await startCredentialsStandIn();
  const gateways: ServiceProcess[] = [];
  try {
    const common = { COLOR_BACKEND: backend.url, VERSION: 'bench' };
    gateways.push(await startService('client', { env: common }));
    // The service kit signs only calls to Lattice names: the signed gateway calls the backend by
    // one, resolved to loopback in its process.
    const byLatticeName = new URL(backend.url);
    byLatticeName.hostname = latticeServiceName('color', 'us-east-1');
    gateways.push(
      await startService('client', {
        env: {
          ...common,
          COLOR_BACKEND: byLatticeName.href.replace(/\/$/, ''),
          NODE_OPTIONS: `--import=${LATTICE_NAMES_TO_LOOPBACK}`,
          UPSTREAM_SIGV4_SERVICE: 'vpc-lattice-svcs',
          AWS_REGION: 'us-east-1',
          AWS_CONTAINER_CREDENTIALS_FULL_URI: credentials.url,
        },
      }),
    );
    const [unsigned, signed] = gateways as [ServiceProcess, ServiceProcess];
    const targets = [
      { id: 'unsigned', url: `${unsigned.url}/gateway/color/color` },
      { id: 'signed', url: `${signed.url}/gateway/color/color` },
    ];
    const cpuAtStart: number[] = [];
    const measured = await measureInterleaved(targets, plan, async () => {
      cpuAtStart.push(await readCpuMs(unsigned.pid), await readCpuMs(signed.pid));
    });
    const unsignedCpuMs = (await readCpuMs(unsigned.pid)) - (cpuAtStart[0] ?? 0);
    const signedCpuMs = (await readCpuMs(signed.pid)) - (cpuAtStart[1] ?? 0);
    // The signed gateway must really have signed: it fetched credentials to do so.
    if (credentials.calls() === 0)
      throw new Error('the signed gateway never fetched credentials: signing was not switched on');
    const plain = measured.unsigned as TargetFigures;
    const signing = measured.signed as TargetFigures;
    const plainCpu = cpuMsPer1000(unsignedCpuMs, plain);
    const signingCpu = cpuMsPer1000(signedCpuMs, signing);
    const figures: Figure[] = [
      ...hopFigures('unsigned', plain.median, plainCpu),
      ...hopFigures('signed', signing.median, signingCpu),
      {
        id: 'signing.throughputVsUnsigned',
        label: 'signed/unsigned gateway throughput',
        value: ratio(signing.median.requestsPerSec, plain.median.requestsPerSec),
        unit: '×',
      },
      {
        id: 'signing.cpuMsPer1000Added',
        label: 'CPU that signing adds per 1,000 requests',
        value: round(signingCpu - plainCpu, 1),
        unit: 'CPU-ms',
      },
      {
        id: 'signing.failures',
        label: 'signed and unsigned hops: errors + non-2xx (all runs)',
        value: failuresOf(plain) + failuresOf(signing),
        unit: '',
        target: { op: '<=', value: 0 },
      },
    ];
    return {
      figures,
      details: { plan, measured, cpuMs: { unsigned: unsignedCpuMs, signed: signedCpuMs } },
    };
  } finally {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    credentials.server.closeAllConnections();
    await new Promise((resolve) => credentials.server.close(resolve));
  }
}
