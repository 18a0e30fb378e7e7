/**
 * Resolves CloudFormation's intrinsic functions and pseudo parameters across the given templates,
 * as far as values can be known before deployment. What only deployment knows (an ARN, a load
 * balancer's DNS name, a parameter with no value) resolves to an {@link Unresolved} that says why;
 * it is an error only where the topology needs that value.
 */
import { basename, extname } from 'node:path';
import { ImportError } from './errors';
import type { CfnValue, LoadedTemplate } from './template';

/** A value that cannot be known before deployment, and why. */
export class Unresolved {
  constructor(readonly reason: string) {}
}

/** `Ref: AWS::NoValue`: the property is left out. */
const NO_VALUE = Symbol('AWS::NoValue');

const PSEUDO = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
];

type Vars = ReadonlyMap<string, unknown>;

/** Types whose Ref is one of their own properties (CloudFormation's documented return values). */
const REF_IS_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::Route53::RecordSet': 'Name',
  'AWS::ECS::Cluster': 'ClusterName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SSM::Parameter': 'Name',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The intrinsic a value is, e.g. `['Fn::Join', [...]]`, or undefined for plain data. */
function intrinsicOf(value: unknown): [string, unknown] | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::')
    ? [key, value[key]]
    : undefined;
}

/** `${Name}` and `${Name.Attribute}` in a `Fn::Sub` string; `${!Literal}` is not a variable. */
const SUB_VARIABLE = /\$\{([^}!][^}]*)\}/g;

/** Resolves values in the context of one template among several. */
export class Resolver {
  /** While set, Fn::Join and Fn::Sub write unknown parts as `*` instead of failing. */
  private lenient = false;
  private readonly exportsCache = new Map<string, { stack: LoadedTemplate; value: CfnValue }>();

  constructor(
    private readonly stacks: readonly LoadedTemplate[],
    private readonly parameters: Readonly<Record<string, string>>,
  ) {
    for (const stack of stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output?.Export === undefined) continue;
        const name = this.resolve(stack, output.Export.Name);
        if (typeof name === 'string') this.exportsCache.set(name, { stack, value: output.Value });
      }
    }
  }

  /** The value with every intrinsic it can resolve replaced by its result. */
  resolve(stack: LoadedTemplate, value: CfnValue, vars: Vars = new Map()): unknown {
    const result = this.resolveAny(stack, value, vars);
    return result === NO_VALUE ? undefined : result;
  }

  /**
   * The value as text with each part only deployment knows written `*`, e.g.
   * `arn:aws:appmesh:*:*:mesh/shop/virtualNode/cart`: enough to read the names in it.
   */
  resolveText(stack: LoadedTemplate, value: CfnValue): string | undefined {
    this.lenient = true;
    try {
      const result = this.resolve(stack, value);
      return typeof result === 'string' ? result : undefined;
    } finally {
      this.lenient = false;
    }
  }

  /** Whether a condition of the template holds, or an Unresolved when it depends on the unknown. */
  condition(stack: LoadedTemplate, name: string): boolean | Unresolved {
    const body = stack.template.Conditions?.[name];
    if (body === undefined) {
      throw new ImportError(
        { file: stack.file },
        `condition "${name}" is not defined in Conditions`,
      );
    }
    const result = this.resolve(stack, body);
    if (typeof result === 'boolean') return result;
    return firstUnresolved(result) ?? new Unresolved(`condition ${name} is not true or false`);
  }

  private resolveAny(stack: LoadedTemplate, value: CfnValue, vars: Vars): unknown {
    if (Array.isArray(value)) {
      return value.map((item) => this.resolveAny(stack, item, vars)).filter((v) => v !== NO_VALUE);
    }
    if (!isObject(value)) return value;
    const intrinsic = intrinsicOf(value);
    if (!intrinsic) {
      const entries = Object.entries(value)
        .map(([key, item]) => [key, this.resolveAny(stack, item, vars)] as const)
        .filter(([, item]) => item !== NO_VALUE);
      return Object.fromEntries(entries);
    }
    const [name, argument] = intrinsic;
    return this.call(stack, name, argument, vars);
  }

  private call(stack: LoadedTemplate, name: string, argument: unknown, vars: Vars): unknown {
    const arg = (value: unknown) => this.resolveAny(stack, value, vars);
    switch (name) {
      case 'Ref':
        return typeof argument === 'string'
          ? this.ref(stack, argument, vars)
          : new Unresolved('Ref of a computed name');
      case 'Condition':
        return this.condition(stack, String(argument));
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(argument)
          ? [argument[0], arg(argument[1])]
          : String(argument).split(/\.(.*)/);
        return this.getAtt(stack, String(id), attribute);
      }
      case 'Fn::Sub':
        return this.sub(stack, argument, vars);
      case 'Fn::Join': {
        const [separator, list] = asPair(argument);
        const items = arg(list);
        const missing = firstUnresolved([separator, items]);
        if (missing && !(this.lenient && Array.isArray(items))) return missing;
        return (items as unknown[]).map((item) => stringOf(item)).join(String(separator));
      }
      case 'Fn::Select': {
        const [index, list] = asPair(argument);
        const [i, items] = [arg(index), arg(list)];
        return firstUnresolved([i, items]) ?? (items as unknown[])[Number(i)];
      }
      case 'Fn::Split': {
        const [separator, text] = asPair(argument);
        const whole = arg(text);
        return whole instanceof Unresolved ? whole : String(whole).split(String(separator));
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = (argument as unknown[]).map(arg);
        const missing = firstUnresolved([map, top, second]);
        if (missing) return missing;
        const found = stack.template.Mappings?.[String(map)]?.[String(top)]?.[String(second)];
        if (found === undefined) {
          throw new ImportError(
            { file: stack.file },
            `Fn::FindInMap finds no ${String(map)}.${String(top)}.${String(second)} in Mappings`,
          );
        }
        return arg(found);
      }
      case 'Fn::ImportValue': {
        const exportName = arg(argument);
        if (exportName instanceof Unresolved) return exportName;
        const exported = this.exportsCache.get(String(exportName));
        return exported
          ? this.resolveAny(exported.stack, exported.value, new Map())
          : new Unresolved(
              `no given template exports "${String(exportName)}": add the template that exports it`,
            );
      }
      case 'Fn::If': {
        const [conditionName, whenTrue, whenFalse] = argument as [string, unknown, unknown];
        const holds = this.condition(stack, conditionName);
        if (holds instanceof Unresolved) return holds;
        return arg(holds ? whenTrue : whenFalse);
      }
      case 'Fn::Equals': {
        const [a, b] = (argument as unknown[]).map(arg);
        return firstUnresolved([a, b]) ?? stringOf(a) === stringOf(b);
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const values = (argument as unknown[]).map(arg);
        const missing = firstUnresolved(values);
        if (missing) return missing;
        return name === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
      }
      case 'Fn::Not': {
        const [value] = (argument as unknown[]).map(arg);
        return value instanceof Unresolved ? value : !value;
      }
      case 'Fn::Base64': {
        const value = arg(argument);
        return value instanceof Unresolved ? value : Buffer.from(String(value)).toString('base64');
      }
      case 'Fn::Length': {
        const value = arg(argument);
        return Array.isArray(value) ? value.length : new Unresolved('Fn::Length of a non-list');
      }
      case 'Fn::ToJsonString': {
        const value = arg(argument);
        return firstUnresolved(value) ?? JSON.stringify(value);
      }
      default:
        // Fn::GetAZs, Fn::Cidr, Fn::Transform and the like depend on the account or region.
        return new Unresolved(`${name} is known only at deployment`);
    }
  }

  private ref(stack: LoadedTemplate, name: string, vars: Vars): unknown {
    if (vars.has(name)) return vars.get(name);
    if (PSEUDO.includes(name)) return this.pseudo(stack, name);
    const parameter = stack.template.Parameters?.[name];
    if (parameter) return this.parameter(stack, name, parameter.Type, parameter.Default);
    const resource = stack.template.Resources[name];
    const named = resource && REF_IS_PROPERTY[resource.Type];
    if (named && resource.Properties?.[named] !== undefined) {
      return this.resolveAny(stack, resource.Properties[named], new Map());
    }
    if (resource) {
      return new Unresolved(
        `the Ref of resource ${name} (${stack.template.Resources[name]!.Type}) is known only after deployment`,
      );
    }
    throw new ImportError(
      { file: stack.file, resource: name },
      `Ref names no parameter or resource of this template`,
    );
  }

  private parameter(stack: LoadedTemplate, name: string, type?: string, fallback?: unknown) {
    const given = this.parameters[name];
    const value = given ?? (fallback === undefined ? undefined : stringOf(fallback));
    if (value === undefined) {
      return new Unresolved(
        `parameter ${name} of ${stack.file} has no value and no Default: pass --param ${name}=<value>`,
      );
    }
    return type?.startsWith('List<') || type === 'CommaDelimitedList' ? value.split(',') : value;
  }

  private pseudo(stack: LoadedTemplate, name: string): unknown {
    const given = this.parameters[name];
    if (given !== undefined) return given;
    switch (name) {
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::StackName':
        // The name a stack is usually given: its template's file name.
        return basename(stack.file, extname(stack.file));
      default:
        return new Unresolved(`${name} is known only at deployment: pass --param ${name}=<value>`);
    }
  }

  private getAtt(stack: LoadedTemplate, id: string, attribute: unknown): unknown {
    const resource = stack.template.Resources[id];
    if (!resource) {
      throw new ImportError(
        { file: stack.file, resource: id },
        `Fn::GetAtt names no resource of this template`,
      );
    }
    if (attribute instanceof Unresolved) return attribute;
    // App Mesh's and Cloud Map's name attributes (VirtualNodeName, Name …) echo the property.
    const property = resource.Properties?.[String(attribute)];
    if (property !== undefined && /Name$/.test(String(attribute))) {
      return this.resolveAny(stack, property, new Map());
    }
    return new Unresolved(`${id}.${String(attribute)} is known only after deployment`);
  }

  private sub(stack: LoadedTemplate, argument: unknown, vars: Vars): unknown {
    const [text, locals] = Array.isArray(argument) ? argument : [argument, {}];
    const scope = new Map(vars);
    for (const [key, value] of Object.entries((locals ?? {}) as Record<string, unknown>)) {
      scope.set(key, this.resolveAny(stack, value, vars));
    }
    let missing: Unresolved | undefined;
    const result = String(text).replace(SUB_VARIABLE, (_match, variable: string) => {
      const dot = variable.indexOf('.');
      const value =
        dot < 0 || scope.has(variable)
          ? this.ref(stack, variable, scope)
          : this.getAtt(stack, variable.slice(0, dot), variable.slice(dot + 1));
      if (value instanceof Unresolved) missing ??= value;
      return stringOf(value);
    });
    return missing && !this.lenient ? missing : result.replace(/\$\{!/g, '${');
  }
}

function asPair(argument: unknown): [unknown, unknown] {
  return Array.isArray(argument) ? [argument[0], argument[1]] : [undefined, argument];
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : value instanceof Unresolved ? '*' : String(value);
}

/** The first Unresolved inside a resolved value, if any. */
export function firstUnresolved(value: unknown): Unresolved | undefined {
  if (value instanceof Unresolved) return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstUnresolved(item);
      if (found) return found;
    }
  } else if (isObject(value)) {
    return firstUnresolved(Object.values(value));
  }
  return undefined;
}

/** Logical IDs a raw value refers to through Ref, Fn::GetAtt or Fn::Sub, in order. */
export function referencedIds(value: CfnValue): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    const intrinsic = intrinsicOf(node);
    if (intrinsic?.[0] === 'Ref' && typeof intrinsic[1] === 'string') found.push(intrinsic[1]);
    if (intrinsic?.[0] === 'Fn::GetAtt') {
      const target = intrinsic[1];
      found.push(String(Array.isArray(target) ? target[0] : String(target).split('.')[0]));
    }
    if (intrinsic?.[0] === 'Fn::Sub') {
      const text = Array.isArray(intrinsic[1]) ? intrinsic[1][0] : intrinsic[1];
      for (const match of String(text).matchAll(SUB_VARIABLE)) {
        found.push(match[1]!.split('.')[0]!);
      }
    }
    Object.values(node).forEach(walk);
  };
  walk(value);
  return found;
}

/**
 * Every Ref, Fn::GetAtt and Fn::Sub variable of a template must name a parameter, resource or
 * pseudo parameter: the first that names nothing is an error at its line.
 */
export function checkReferences(stack: LoadedTemplate): void {
  const { template } = stack;
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const resources = new Set(Object.keys(template.Resources));
  const walk = (node: unknown, path: (string | number)[], locals: ReadonlySet<string>) => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, [...path, index], locals));
      return;
    }
    if (!isObject(node)) return;
    const intrinsic = intrinsicOf(node);
    const fail = (kind: string, name: string) => {
      const resource = path[0] === 'Resources' ? String(path[1]) : undefined;
      throw new ImportError(
        { file: stack.file, line: stack.lineOf(path), resource },
        `${kind} "${name}" names no resource or parameter of this template: fix the name, or give the template that defines it`,
      );
    };
    const known = (name: string) =>
      locals.has(name) || parameters.has(name) || resources.has(name) || PSEUDO.includes(name);
    let inner = locals;
    if (intrinsic?.[0] === 'Ref' && typeof intrinsic[1] === 'string' && !known(intrinsic[1])) {
      fail('Ref', intrinsic[1]);
    }
    if (intrinsic?.[0] === 'Fn::GetAtt') {
      const target = intrinsic[1];
      const id = String(Array.isArray(target) ? target[0] : String(target).split('.')[0]);
      if (!resources.has(id)) fail('Fn::GetAtt', id);
    }
    if (intrinsic?.[0] === 'Fn::Sub') {
      const [text, vars] = Array.isArray(intrinsic[1]) ? intrinsic[1] : [intrinsic[1], {}];
      inner = new Set([...locals, ...Object.keys((vars ?? {}) as object)]);
      for (const match of String(text).matchAll(SUB_VARIABLE)) {
        const variable = match[1]!;
        if (!inner.has(variable) && !known(variable) && !resources.has(variable.split('.')[0]!)) {
          fail('Fn::Sub variable', variable);
        }
      }
    }
    for (const [key, value] of Object.entries(node)) walk(value, [...path, key], inner);
  };
  walk(template.Resources, ['Resources'], new Set());
  walk(template.Outputs ?? {}, ['Outputs'], new Set());
}
