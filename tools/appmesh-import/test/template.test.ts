import { describe, expect, it } from 'vitest';
import { importErrorOf } from './import-error';
import { parseTemplate } from '../src/template';

describe('parseTemplate', () => {
  it('reads every short form as its long form, !GetAtt split at the first dot', () => {
    const { template } = parseTemplate(
      't.yaml',
      [
        'Resources:',
        '  Node:',
        '    Type: AWS::AppMesh::VirtualNode',
        '    Properties:',
        '      A: !Ref Name',
        '      B: !GetAtt Router.Spec.Listeners',
        '      C: !Join [".", [a, !Sub "${X}"]]',
        '      D: !If [IsProd, 1, 2]',
        '      E: !ImportValue { "Fn::Sub": "${AWS::StackName}-Mesh" }',
      ].join('\n'),
    );
    expect(template.Resources.Node!.Properties).toEqual({
      A: { Ref: 'Name' },
      B: { 'Fn::GetAtt': ['Router', 'Spec.Listeners'] },
      C: { 'Fn::Join': ['.', ['a', { 'Fn::Sub': '${X}' }]] },
      D: { 'Fn::If': ['IsProd', 1, 2] },
      E: { 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}-Mesh' } },
    });
  });

  it('reads JSON and keeps lines for errors', () => {
    const loaded = parseTemplate(
      't.json',
      '{\n  "Resources": {\n    "Mesh": {\n      "Type": "AWS::AppMesh::Mesh"\n    }\n  }\n}\n',
    );
    expect(loaded.template.Resources.Mesh!.Type).toBe('AWS::AppMesh::Mesh');
    expect(loaded.lineOf(['Resources', 'Mesh', 'Type'])).toBe(4);
    // A path the parser did not keep falls back to its nearest ancestor (the map under Mesh).
    expect(loaded.lineOf(['Resources', 'Mesh', 'Properties', 'Spec'])).toBe(3);
  });

  it('fails on an unknown tag, naming the file, line and tag', () => {
    const error = importErrorOf(() =>
      parseTemplate('u.yaml', 'Resources:\n  M:\n    Type: X\n    Properties:\n      A: !Reff B\n'),
    );
    expect(error.message).toMatch(
      /^u\.yaml:5: unknown tag: !Reff: CloudFormation's short forms are !Ref, /,
    );
  });

  it('fails on a document without Resources, and on a resource without Type', () => {
    expect(importErrorOf(() => parseTemplate('c.yaml', 'services:\n  web: {}\n')).message).toMatch(
      /^c\.yaml:1: not a CloudFormation template: it has no "Resources" section/,
    );
    expect(
      importErrorOf(() => parseTemplate('r.yaml', 'Resources:\n  Web:\n    Properties: {}\n'))
        .message,
    ).toBe('r.yaml:3 (resource Web): not a CloudFormation resource: it has no "Type"');
  });

  it('fails on text that is neither YAML nor JSON, with JSON errors for .json files', () => {
    expect(importErrorOf(() => parseTemplate('b.yaml', 'Resources: [a\n  b: }\n')).message).toMatch(
      /^b\.yaml:\d+: not YAML or JSON: /,
    );
    expect(importErrorOf(() => parseTemplate('b.json', '{\n  "Resources": {,\n}')).message).toMatch(
      /^b\.json:2: not JSON: /,
    );
  });
});

describe('parseTemplate on Kubernetes manifests without App Mesh resources', () => {
  it('says it is not a template, rather than a YAML error', () => {
    expect(
      importErrorOf(() => parseTemplate('k.yaml', 'kind: Namespace\n---\nkind: Deployment\n'))
        .message,
    ).toBe(
      'k.yaml:2: not a CloudFormation template: it holds several YAML documents, and none is an App Mesh controller resource (apiVersion appmesh.k8s.aws/v1beta2)',
    );
  });
});
