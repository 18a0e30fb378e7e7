import { describe, expect, it } from 'vitest';
import { checkReferences, referencedIds, Resolver, Unresolved } from '../src/intrinsics';
import { parseTemplate } from '../src/template';

const MESH = parseTemplate(
  'mesh.yaml',
  `
Parameters:
  Project: { Type: String, Default: shop }
  Port: { Type: Number }
  Zones: { Type: CommaDelimitedList, Default: 'a,b,c' }
Mappings:
  Sizes:
    palette: { cpu: 256 }
Conditions:
  IsShop: !Equals [!Ref Project, shop]
  NotShop: !Not [!Condition IsShop]
Resources:
  Mesh:
    Type: AWS::AppMesh::Mesh
    Properties:
      MeshName: !Sub '\${Project}-mesh'
  Node:
    Type: AWS::AppMesh::VirtualNode
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualNodeName: !Join ['-', [!Ref Project, palette, !Select [1, !Ref Zones]]]
      Size: !FindInMap [Sizes, palette, cpu]
      Host: !Select [0, !Split ['.', 'palette.shop.local']]
      Choice: !If [NotShop, other, !Sub ['\${A}.\${AWS::StackName}', { A: !Ref Project }]]
      Literal: !Sub 'keep \${!Project}'
      Port: !Ref Port
      Arn: !Ref Mesh
      Region: !Sub 'in \${AWS::Region}'
      Gone: !Ref AWS::NoValue
Outputs:
  MeshName:
    Value: !GetAtt Mesh.MeshName
    Export: { Name: !Sub '\${AWS::StackName}-Mesh' }
`,
);

const TASKS = parseTemplate(
  'tasks.yaml',
  `
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Mesh: !ImportValue mesh-Mesh
      Missing: !ImportValue other-Mesh
`,
);

describe('Resolver', () => {
  const resolver = new Resolver([MESH, TASKS], { Port: '8080' });
  const node = resolver.resolve(MESH, MESH.template.Resources.Node!.Properties) as Record<
    string,
    unknown
  >;

  it('resolves Ref, Sub, GetAtt of a name, Join, Select, Split, FindInMap, If and conditions', () => {
    expect(node).toMatchObject({
      MeshName: 'shop-mesh',
      VirtualNodeName: 'shop-palette-b',
      Size: 256,
      Host: 'palette',
      Choice: 'shop.mesh',
      Literal: 'keep ${Project}',
      Port: '8080',
    });
    expect('Gone' in node).toBe(false);
  });

  it('leaves what only deployment knows unresolved, saying why', () => {
    expect(node.Arn).toEqual(
      new Unresolved(
        'the Ref of resource Mesh (AWS::AppMesh::Mesh) is known only after deployment',
      ),
    );
    expect((node.Region as Unresolved).reason).toMatch(
      /AWS::Region is known only at deployment: pass --param AWS::Region=<value>/,
    );
  });

  it('names the parameter to pass when one has no value and no Default', () => {
    const bare = new Resolver([MESH], {});
    expect(bare.resolve(MESH, { Ref: 'Port' })).toEqual(
      new Unresolved(
        'parameter Port of mesh.yaml has no value and no Default: pass --param Port=<value>',
      ),
    );
  });

  it('follows Fn::ImportValue to the template that exports the name', () => {
    const task = resolver.resolve(TASKS, TASKS.template.Resources.Task!.Properties) as Record<
      string,
      unknown
    >;
    expect(task.Mesh).toBe('shop-mesh');
    expect((task.Missing as Unresolved).reason).toBe(
      'no given template exports "other-Mesh": add the template that exports it',
    );
  });

  it('writes unknown parts as * when asked for text', () => {
    expect(
      resolver.resolveText(MESH, {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Region' }, ':mesh/', { Ref: 'Project' }]],
      }),
    ).toBe('arn:*:mesh/shop');
    expect(resolver.resolve(MESH, { 'Fn::Join': ['', [{ Ref: 'AWS::Region' }]] })).toBeInstanceOf(
      Unresolved,
    );
  });
});

describe('referencedIds', () => {
  it('lists the logical IDs named by Ref, GetAtt and Sub', () => {
    expect(
      referencedIds({
        'Fn::Join': [
          '',
          [{ Ref: 'A' }, { 'Fn::GetAtt': ['B', 'Arn'] }, { 'Fn::Sub': '${C.Name}/${D}' }],
        ],
      }),
    ).toEqual(['A', 'B', 'C', 'D']);
  });
});

describe('checkReferences', () => {
  it('accepts references to parameters, resources, pseudo parameters and Sub variables', () => {
    expect(() => checkReferences(MESH)).not.toThrow();
  });

  it('fails at the line of a Ref, GetAtt or Sub variable that names nothing', () => {
    for (const [value, kind] of [
      ['!Ref Nope', 'Ref "Nope"'],
      ['!GetAtt Nope.Arn', 'Fn::GetAtt "Nope"'],
      ["!Sub '${Nope}-x'", 'Fn::Sub variable "Nope"'],
    ]) {
      const stack = parseTemplate(
        'bad.yaml',
        `Resources:\n  Node:\n    Type: AWS::AppMesh::VirtualNode\n    Properties:\n      MeshName: ${value}\n`,
      );
      expect(() => checkReferences(stack)).toThrow(
        `bad.yaml:5 (resource Node): ${kind} names no resource or parameter of this template: fix the name, or give the template that defines it`,
      );
    }
  });
});
