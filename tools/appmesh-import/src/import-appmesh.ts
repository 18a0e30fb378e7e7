/** The whole import, without touching the disk beyond reading the templates. */
import { flavorVerdicts, type FlavorVerdict } from './flavors';
import { mapToTopology, type ImportResult, type MapOptions } from './map-topology';
import { readModel } from './model';
import { isAppMeshKubernetes, parseKubernetes } from './kubernetes';
import { isTerraformState, parseTerraform } from './terraform';
import { parseTemplate, readTemplateText, type LoadedTemplate } from './template';

export interface ImportInput extends MapOptions {
  readonly templates: readonly string[];
  readonly parameters?: Readonly<Record<string, string>>;
}

export interface Imported {
  readonly result: ImportResult;
  readonly verdicts: readonly FlavorVerdict[];
}

/** Reads the templates and maps their App Mesh system; throws an ImportError on bad input. */
export function importAppMesh(input: ImportInput): Imported {
  const stacks = input.templates.map(loadInput);
  const model = readModel(stacks, input.parameters ?? {});
  const result = mapToTopology(model, input);
  return { result, verdicts: flavorVerdicts(result.topology) };
}

/**
 * A CloudFormation template, or the App Mesh controller's Kubernetes resources or a Terraform
 * state (`terraform show -json`) read as one.
 */
function loadInput(file: string): LoadedTemplate {
  const text = readTemplateText(file);
  if (isAppMeshKubernetes(text)) return parseKubernetes(file, text);
  const state = file.endsWith('.json') ? jsonOrUndefined(text) : undefined;
  return isTerraformState(state) ? parseTerraform(file, state) : parseTemplate(file, text);
}

/** The parsed JSON, or undefined: a malformed file is reported by the template parser. */
function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
