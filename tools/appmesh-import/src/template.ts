/**
 * Reads CloudFormation templates, YAML (with the short-form intrinsics such as `!Ref`) or JSON,
 * keeping each node's line so that errors can name the place.
 */
import { readFileSync } from 'node:fs';
import {
  LineCounter,
  parseDocument,
  Scalar,
  YAMLMap,
  type CollectionTag,
  type Document,
  type ScalarTag,
} from 'yaml';
import { ImportError } from './errors';

/** A CloudFormation value as parsed: JSON-like, intrinsics as `{ "Fn::…": … }` objects. */
export type CfnValue = unknown;

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, CfnValue>;
  readonly Condition?: string;
}

export interface CfnParameter {
  readonly Type?: string;
  readonly Default?: CfnValue;
}

export interface CfnOutput {
  readonly Value: CfnValue;
  readonly Export?: { readonly Name: CfnValue };
}

export interface CfnTemplate {
  readonly Parameters?: Record<string, CfnParameter>;
  readonly Mappings?: Record<string, Record<string, Record<string, CfnValue>>>;
  readonly Conditions?: Record<string, CfnValue>;
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, CfnOutput>;
}

export interface LoadedTemplate {
  readonly file: string;
  readonly template: CfnTemplate;
  /** The line (1-based) of the node at `path`, or of its nearest ancestor the parser kept. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

/** Short forms and the long names they stand for (`!Ref` is the only one without `Fn::`). */
const SHORT_FORMS = [
  'Ref',
  'Condition',
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'Length',
  'ToJsonString',
];

function longName(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/** `!GetAtt Node.VirtualNodeName` is the scalar form of `Fn::GetAtt: [Node, VirtualNodeName]`. */
function scalarValue(name: string, value: string): CfnValue {
  if (name !== 'GetAtt') return value;
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

function intrinsicTags(): (ScalarTag | CollectionTag)[] {
  return SHORT_FORMS.flatMap((name): (ScalarTag | CollectionTag)[] => {
    const key = longName(name);
    const wrap = (value: unknown) => {
      const map = new YAMLMap();
      map.items.push({ key: new Scalar(key), value } as never);
      return map;
    };
    return [
      { tag: `!${name}`, resolve: (value: string) => ({ [key]: scalarValue(name, value) }) },
      { tag: `!${name}`, collection: 'seq', resolve: wrap },
      { tag: `!${name}`, collection: 'map', resolve: wrap },
    ];
  });
}

const TAGS = intrinsicTags();

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** A `.json` file is held to JSON's rules, and its error to JSON's words. */
function checkJson(file: string, text: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? NaN);
    const line = Number.isNaN(position) ? undefined : text.slice(0, position).split('\n').length;
    throw new ImportError(
      { file, line },
      `not JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
    );
  }
}

/** Parses one template; anything that is not a CloudFormation template is an {@link ImportError}. */
export function parseTemplate(file: string, text: string): LoadedTemplate {
  const lineCounter = new LineCounter();
  const document: Document = parseDocument(text, {
    customTags: TAGS,
    lineCounter,
    uniqueKeys: true,
  });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  if (file.endsWith('.json')) checkJson(file, text);
  const problem = document.errors[0];
  if (problem?.code === 'MULTIPLE_DOCS') {
    throw new ImportError(
      { file, line: lineAt(problem.pos[0]) },
      'not a CloudFormation template: it holds several YAML documents, and none is an App Mesh controller resource (apiVersion appmesh.k8s.aws/v1beta2)',
    );
  }
  if (problem) {
    throw new ImportError(
      { file, line: lineAt(problem.pos[0]) },
      `not YAML or JSON: ${firstLine(problem.message)}`,
    );
  }
  const unknownTag = document.warnings.find((warning) => warning.code === 'TAG_RESOLVE_FAILED');
  if (unknownTag) {
    throw new ImportError(
      { file, line: lineAt(unknownTag.pos[0]) },
      `${firstLine(unknownTag.message).replace('Unresolved tag', 'unknown tag')}: CloudFormation's short forms are ${SHORT_FORMS.map((n) => `!${n}`).join(', ')}`,
    );
  }
  const template = document.toJS({ maxAliasCount: 1000 }) as unknown;
  const resources = (template as { Resources?: unknown } | null)?.Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new ImportError(
      { file, line: 1 },
      'not a CloudFormation template: it has no "Resources" section (give the template of the stack that holds the App Mesh resources)',
    );
  }
  for (const [id, resource] of Object.entries(resources as Record<string, unknown>)) {
    if (typeof (resource as { Type?: unknown } | null)?.Type !== 'string') {
      const line = document.getIn(['Resources', id], true) as { range?: [number] } | undefined;
      throw new ImportError(
        { file, line: line?.range ? lineAt(line.range[0]) : undefined, resource: id },
        'not a CloudFormation resource: it has no "Type"',
      );
    }
  }
  return {
    file,
    template: template as CfnTemplate,
    lineOf(path) {
      for (let length = path.length; length >= 0; length -= 1) {
        const node = document.getIn(path.slice(0, length), true) as
          { range?: [number, number, number] } | undefined;
        if (node?.range) return lineAt(node.range[0]);
      }
      return undefined;
    },
  };
}

/** A template's text; a file that cannot be read is an {@link ImportError}. */
export function readTemplateText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ImportError(
      { file },
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): check the path`,
    );
  }
}
