import { describe, expect, it } from 'vitest';
import { importAppMesh, type Imported } from '../src';
import { importErrorOf } from './import-error';
import { FIXTURES } from './support';

const fixture = (name: string) => `${FIXTURES}${name}`;

describe('GIVEN a mesh template in YAML and its tasks in JSON, joined by exports', () => {
  const imported: Imported = importAppMesh({
    templates: [fixture('paint-shop-mesh.yaml'), fixture('paint-shop-tasks.json')],
  });
  const { topology } = imported.result;
  const palette = topology.services.find((s) => s.name === 'palette')!;
  const storefront = topology.services.find((s) => s.name === 'storefront')!;

  it('THEN the router-provided service has the weighted nodes as versions and the exact header match as its route', () => {
    expect(palette).toMatchObject({
      port: 8080,
      healthPath: '/healthz',
      versions: [
        { name: 'matte', weight: 90, env: { FINISH: 'matte' } },
        { name: 'gloss', weight: 10, env: { FINISH: 'gloss' } },
      ],
      routes: [{ version: 'gloss', whenHeader: { name: 'x-finish', equals: 'gloss' } }],
      env: { PALETTE_SIZE: '64' },
      size: { cpu: 256, memoryLimitMiB: 512 },
    });
  });

  it('THEN the default route gives timeouts and retries, the node its outlier detection', () => {
    expect(palette.timeouts).toEqual({ perRequestMs: 3000 });
    expect(palette.retries).toEqual({
      attempts: 3,
      perTryTimeoutMs: 1000,
      on: ['5xx', 'reset', 'connect-failure'],
    });
    expect(palette.outlierDetection).toEqual({
      consecutive5xx: 4,
      ejectMs: 30_000,
      maxEjectionPercent: 50,
    });
  });

  it('THEN the gateway route "/" gives the ingress, the DNS node on 443 an external, env vars holding a backend name its envVar', () => {
    expect(topology.ingress).toEqual({ service: 'storefront' });
    expect(topology.externals).toEqual([
      { name: 'pigments-outside', baseUrl: 'https://api.pigments.example.com/v2' },
    ]);
    expect(storefront).toMatchObject({
      port: 80,
      healthPath: '/ready',
      versions: [{ name: 'main' }],
      backends: [
        { service: 'palette', envVar: 'PALETTE_URL' },
        { service: 'pigments-outside', envVar: 'PIGMENTS_API' },
      ],
      env: { THEME: 'dark', LEDGER_ADDR: 'ledger.paint.local:5432' },
    });
    expect(topology).toMatchObject({ name: 'paint-shop', namespace: 'paint.local' });
  });

  it("THEN each service runs the image its task ran, the first version's where versions differ", () => {
    expect(storefront.image).toBe('registry.example.com/paint/storefront:1.4.2');
    expect(palette.image).toBe('registry.example.com/paint/palette:1.4.2');
    expect(imported.result.notes).toContain(
      'service "palette": its versions run different images (registry.example.com/paint/palette:1.4.2, registry.example.com/paint/palette:1.4.2-gloss); a topology service has one image, registry.example.com/paint/palette:1.4.2 was kept',
    );
  });

  it('THEN the node behind a false condition is left out', () => {
    expect(imported.result.read.map((r) => r.name)).not.toContain('palette-debug-vn');
  });

  it('THEN each task is bound by its Envoy env (ARN or node name) or by its Cloud Map registry', () => {
    const tasks = imported.result.read.filter((r) => r.type === 'AWS::ECS::TaskDefinition');
    expect(tasks.map((t) => [t.place.resource, t.wentTo])).toEqual([
      [
        'StorefrontTask',
        'service "storefront", version "main" (bound by its Envoy container\'s env)',
      ],
      ['MatteTask', 'service "palette", version "matte" (bound by its Envoy container\'s env)'],
      [
        'GlossTask',
        'service "palette", version "gloss" (bound by its ECS service\'s Cloud Map registry)',
      ],
    ]);
  });

  it('THEN every App Mesh resource is listed with its place and where it went', () => {
    const byId = Object.fromEntries(imported.result.read.map((r) => [r.place.resource, r]));
    expect(Object.keys(byId)).toHaveLength(21);
    expect(byId.PaletteCanaryRoute).toMatchObject({
      type: 'AWS::AppMesh::Route',
      name: 'palette-canary',
      place: { line: expect.any(Number) },
      wentTo: 'route 1 of service "palette"',
    });
    expect(byId.LedgerNode!.wentTo).toBe('not carried: a tcp listener');
    expect(byId.GatewayApiRoute!.wentTo).toBe('not carried: a gateway route other than "/"');
  });

  it('THEN what no flavor expresses is reported by kind, at its place', () => {
    const kinds = imported.result.gaps.map((g) => `${g.kind} ${g.place.resource}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'access-log MatteNode',
        'tls GlossNode',
        'outlier-detection GlossNode',
        'header-match PaletteBetaRoute',
        'request-match PaletteAdminRoute',
        'retries PaletteDefaultRoute',
        'tcp-listener LedgerNode',
        'tcp-listener StorefrontNode',
        'gateway-route GatewayApiRoute',
      ]),
    );
    expect(imported.result.gaps.find((g) => g.kind === 'retries')!.detail).toContain(
      'retry on client-error is not carried',
    );
  });

  it('THEN the flavors that render it are named', () => {
    const verdicts = Object.fromEntries(
      imported.verdicts.map((v) => [v.entry.name, v.problems.length === 0]),
    );
    expect(verdicts).toEqual({ 'service-connect': false, 'vpc-lattice': true, appmesh: true });
  });
});

describe('GIVEN a template in the shape CDK synthesizes (hashed IDs, names by GetAtt, Envoy by Ref)', () => {
  const { result } = importAppMesh({ templates: [fixture('ink-cdk.template.json')] });

  it('THEN the header and cookie matches become routes in priority order, and the generated mesh name gives way to the namespace', () => {
    expect(result.topology).toMatchObject({
      name: 'ink',
      namespace: 'ink.internal',
      ingress: { service: 'press' },
    });
    expect(result.topology.services.find((s) => s.name === 'writer')).toMatchObject({
      port: 7000,
      healthPath: '/live',
      versions: [
        { name: 'black', weight: 75, env: { INK: 'black' } },
        { name: 'sepia', weight: 25, env: { INK: 'sepia' } },
      ],
      routes: [
        { version: 'sepia', whenHeader: { name: 'x-ink', equals: 'sepia' } },
        { version: 'sepia', whenCookie: { name: 'ink-preview', equals: 'sepia' } },
      ],
      timeouts: { perRequestMs: 8000 },
    });
    expect(result.topology.services.find((s) => s.name === 'press')!.backends).toEqual([
      { service: 'writer', envVar: 'INK_WRITER_BACKEND' },
    ]);
  });

  it('THEN the ALLOW_ALL egress filter is a note to declare externals', () => {
    expect(result.notes).toContain(
      "the mesh let tasks call any outside host (ALLOW_ALL): add each outside HTTPS API your services call to `externals` and to the caller's `backends`",
    );
  });
});

describe('GIVEN a DNS-discovered mesh with no task definitions and parameters without Default', () => {
  const templates = [fixture('color-gallery.yaml')];

  it('WHEN a parameter the mesh needs is not given THEN it fails naming the parameter and the place', () => {
    expect(importErrorOf(() => importAppMesh({ templates })).message).toMatch(
      /color-gallery\.yaml:\d+ \(resource \w+\): the virtual service name cannot be resolved: parameter GalleryDomain of .*color-gallery\.yaml has no value and no Default: pass --param GalleryDomain=<value>/,
    );
  });

  it('WHEN the parameters are given THEN every service gets a placeholder, the TCP service is left out, the only uncalled service is the ingress', () => {
    const { result } = importAppMesh({
      templates,
      parameters: { GalleryDomain: 'gallery.local', GalleryMesh: 'gallery' },
    });
    expect(
      result.topology.services.map((s) => [s.name, s.versions.map((v) => `${v.name}:${v.weight}`)]),
    ).toEqual([
      ['teller', ['ivory:2', 'amber:1', 'teal:1']],
      ['gallerygateway', ['main:undefined']],
    ]);
    expect(result.topology.ingress.service).toBe('gallerygateway');
    expect(result.placeholders).toEqual(['teller', 'gallerygateway']);
    expect(result.gaps.map((g) => g.kind)).toEqual(['tcp-listener', 'tcp-listener']);
  });
});

describe('bad input', () => {
  it.each([
    [
      'not-cloudformation.yaml',
      /not-cloudformation\.yaml:1: not a CloudFormation template: it has no "Resources" section/,
    ],
    ['broken.json', /broken\.json:1: not JSON: /],
    [
      'no-appmesh.yaml',
      /no-appmesh\.yaml:2: holds no App Mesh resources \(AWS::AppMesh::\*\): give the template\(s\) that define the mesh/,
    ],
    [
      'missing-reference.yaml',
      /missing-reference\.yaml:14 \(resource Node\): Ref "ListenerPort" names no resource or parameter of this template/,
    ],
    [
      'missing-node.yaml',
      /missing-node\.yaml:\d+ \(resource Route\): names virtual node "lamp-violet", which no given template defines/,
    ],
    ['unknown-tag.yaml', /unknown-tag\.yaml:5: unknown tag: !Reff/],
    [
      'zero-weight.yaml',
      /zero-weight\.yaml:\d+ \(resource Route\): the imported topology fails validation: Topology "dim" is invalid \(1 problem\):\n {2}- service "lamp": version "teal" has weight 0: use a positive integer/,
    ],
  ])('fails on %s with one error naming the file and place', (name, message) => {
    expect(importErrorOf(() => importAppMesh({ templates: [fixture(name)] })).message).toMatch(
      message,
    );
  });
});

describe("GIVEN the App Mesh controller's Kubernetes resources (appmesh.k8s.aws/v1beta2)", () => {
  const { result } = importAppMesh({ templates: [fixture('studio-k8s.yaml')] });

  it('THEN they map like their CloudFormation counterparts: router routes, refs by name, awsName as the service\'s DNS name, the gateway route "/", the selected Deployment\'s image and env', () => {
    expect(result.topology).toEqual({
      name: 'studio',
      namespace: 'studio.svc.cluster.local',
      services: [
        {
          name: 'canvas',
          codePath: 'fill-in/the-folder-with-the-dockerfile-of-canvas',
          port: 5000,
          healthPath: '/alive',
          versions: [
            { name: 'oil', weight: 70 },
            { name: 'acrylic', weight: 30 },
          ],
          retries: { attempts: 2, perTryTimeoutMs: 1500 },
          routes: [{ version: 'acrylic', whenHeader: { name: 'x-paint', equals: 'acrylic' } }],
          timeouts: { perRequestMs: 4000 },
        },
        {
          name: 'easel',
          codePath: 'services/easel',
          port: 8000,
          healthPath: '/ready',
          versions: [{ name: 'main' }],
          env: { BRUSH: 'round' },
          image: 'registry.example.com/studio/easel:3.1',
          backends: [{ service: 'canvas', envVar: 'CANVAS_URL' }],
        },
      ],
      ingress: { service: 'easel' },
    });
  });

  it("THEN each resource is placed at its document's line, named Kind/name", () => {
    const route = result.read.find((r) => r.name === 'acrylic-by-header')!;
    expect(route.place).toMatchObject({
      line: 81,
      resource: 'VirtualRouter/canvas-router/acrylic-by-header',
    });
    expect(result.read.find((r) => r.place.resource === 'Deployment/easel')).toMatchObject({
      wentTo: 'service "easel", version "main" (bound by its Envoy container\'s env)',
    });
    expect(result.read).toHaveLength(12);
  });
});

describe('GIVEN a Terraform state (terraform show -json) with aws_appmesh_* resources in a child module', () => {
  const { result } = importAppMesh({ templates: [fixture('bakery.tfstate.json')] });

  it('THEN its nested blocks map like CloudFormation: weights, the exact header route, retries, timeouts, the gateway route "/"', () => {
    expect(result.topology.services).toEqual([
      {
        name: 'oven',
        codePath: 'fill-in/the-folder-with-the-dockerfile-of-oven',
        port: 7070,
        healthPath: '/warm',
        versions: [
          { name: 'rye', weight: 60 },
          { name: 'spelt', weight: 40 },
        ],
        retries: { attempts: 3, perTryTimeoutMs: 800, on: ['5xx'] },
        routes: [{ version: 'spelt', whenHeader: { name: 'x-flour', equals: 'spelt' } }],
        timeouts: { perRequestMs: 2500 },
      },
      {
        name: 'counter',
        codePath: 'fill-in/the-folder-with-the-dockerfile-of-counter',
        port: 8080,
        healthPath: '/open',
        versions: [{ name: 'main' }],
        backends: [{ service: 'oven' }],
      },
    ]);
    expect(result.topology.ingress).toEqual({ service: 'counter' });
  });

  it('THEN each resource is placed by its Terraform address', () => {
    expect(result.read.find((r) => r.name === 'oven-default')!.place).toEqual({
      file: fixture('bakery.tfstate.json'),
      line: undefined,
      resource: 'module.oven.aws_appmesh_route.oven_default',
    });
  });
});
