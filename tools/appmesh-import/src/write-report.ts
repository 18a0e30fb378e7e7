/** The import's report, in markdown, and its summary for the terminal. */
import { versionWeight, type ServiceSpec, type Topology } from '@color-teller/topology';
import { formatPlace } from './errors';
import { GAP_ADVICE, type GapKind } from './findings';
import { bestLiveFlavor, type FlavorVerdict } from './flavors';
import type { ImportResult } from './map-topology';

export interface ReportContext {
  readonly result: ImportResult;
  readonly verdicts: readonly FlavorVerdict[];
  /** The command as typed, for the report's first lines. */
  readonly command: string;
  /** The topology file written, as the user named it. */
  readonly out: string;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function versionsOf(service: ServiceSpec): string {
  return service.versions
    .map((v) => (service.versions.length > 1 ? `${v.name} (${versionWeight(v)})` : v.name))
    .join(', ');
}

function routesOf(service: ServiceSpec): string {
  return (
    (service.routes ?? [])
      .map((r) =>
        r.whenHeader
          ? `header ${r.whenHeader.name}: ${r.whenHeader.equals} → ${r.version}`
          : `cookie ${r.whenCookie!.name}=${r.whenCookie!.equals} → ${r.version}`,
      )
      .join('; ') || '—'
  );
}

function servicesTable(topology: Topology, placeholders: readonly string[]): string[] {
  const rows = topology.services.map((s) =>
    [
      s.name + (s.name === topology.ingress.service ? ' (ingress)' : ''),
      versionsOf(s),
      routesOf(s),
      (s.backends ?? [])
        .map((b) => (b.envVar ? `${b.service} (${b.envVar})` : b.service))
        .join(', ') || '—',
      String(s.port),
      s.healthPath,
      placeholders.includes(s.name) ? '**none in the input: fill in**' : 'read',
    ]
      .map(cell)
      .join(' | '),
  );
  return [
    '| service | versions (weights) | routes | backends | port | health path | task definition |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row} |`),
  ];
}

function gapSections(result: ImportResult): string[] {
  const kinds = [...new Set(result.gaps.map((g) => g.kind))] as GapKind[];
  if (kinds.length === 0) {
    return ['Nothing: every App Mesh setting read has a place in the topology.', ''];
  }
  return kinds.flatMap((kind) => [
    `### ${GAP_ADVICE[kind].title}`,
    '',
    ...result.gaps
      .filter((g) => g.kind === kind)
      .map((g) => `- ${g.detail} — ${formatPlace(g.place)}`),
    '',
    `Instead: ${GAP_ADVICE[kind].instead}.`,
    '',
  ]);
}

function flavorLines(verdicts: readonly FlavorVerdict[]): string[] {
  return [
    '| flavor | renders the topology? |',
    '| --- | --- |',
    ...verdicts.map((v) => {
      const retired = v.entry.retired
        ? ` (retired on ${v.entry.retired.on}: synthesizes, never deploys)`
        : '';
      const verdict = v.problems.length === 0 ? `yes${retired}` : `no: ${v.problems.join('; ')}`;
      return `| \`${v.entry.name}\` (${v.entry.title}) | ${cell(verdict)} |`;
    }),
  ];
}

function nextCommands(context: ReportContext): string[] {
  const best = bestLiveFlavor(context.verdicts);
  const deploy = best
    ? `npm run deploy -- -c topology=${context.out}${best.entry.name === 'service-connect' ? '' : ` -c mesh=${best.entry.name}`}`
    : undefined;
  const { placeholders } = context.result;
  const withImage = context.result.topology.services.filter((s) => s.image && !s.command);
  return [
    ...(placeholders.length > 0
      ? [
          `First fill in codePath (or image) of ${placeholders.map((s) => `\`${s}\``).join(', ')}; then:`,
          '',
        ]
      : []),
    ...(withImage.length > 0
      ? [
          `Locally, a service that has only an image (${withImage.map((s) => `\`${s.name}\``).join(', ')}) needs a \`command\` and its code in codePath.`,
          '',
        ]
      : []),
    '```sh',
    `npm start -- --topology ${context.out}    # runs it on this machine, with the live view`,
    `npm run synth -- -c topology=${context.out}    # renders it in every flavor that can express it`,
    ...(deploy ? [`${deploy}    # ${best!.entry.title}; needs Docker and AWS credentials`] : []),
    '```',
  ];
}

export function reportMarkdown(context: ReportContext): string {
  const { result } = context;
  const { topology } = result;
  const lines = [
    `# App Mesh import: ${topology.name}`,
    '',
    `Made by \`${context.command}\`; the topology is \`${context.out}\`.`,
    '',
    '## The topology',
    '',
    `Namespace \`${topology.namespace}\`; the ingress fronts \`${topology.ingress.service}\`.`,
    ...(topology.externals?.length
      ? [
          '',
          `Externals: ${topology.externals.map((e) => `\`${e.name}\` (${e.baseUrl})`).join(', ')}.`,
        ]
      : []),
    '',
    ...servicesTable(topology, result.placeholders),
    '',
    '## Every App Mesh resource read, and where it went',
    '',
    '| resource | name | read at | went to |',
    '| --- | --- | --- | --- |',
    ...result.read.map(
      (r) =>
        `| ${r.type.replace('AWS::', '')} | ${cell(r.name)} | ${cell(formatPlace(r.place))} | ${cell(r.wentTo)} |`,
    ),
    '',
    '## What no flavor expresses, and what to do instead',
    '',
    ...gapSections(result),
    '## Check by hand',
    '',
    ...(result.placeholders.length > 0
      ? [
          `- no task definition in the input for ${result.placeholders.map((s) => `\`${s}\``).join(', ')}: each got a placeholder codePath (\`fill-in/the-folder-with-the-dockerfile-of-<service>\`) that names no folder, so synthesis stops at its missing Dockerfile: set codePath to the folder with the service's Dockerfile, or set \`image\` to its registry reference.`,
        ]
      : []),
    ...result.notes.map((note) => `- ${note}`),
    ...(result.placeholders.length + result.notes.length === 0 ? ['Nothing.'] : []),
    '',
    '## Where it renders',
    '',
    ...flavorLines(context.verdicts),
    '',
    '## Next',
    '',
    ...nextCommands(context),
    '',
  ];
  return lines.join('\n');
}

/** A few lines for the terminal. */
export function reportSummary(context: ReportContext, reportFile?: string): string {
  const { topology, gaps, placeholders } = context.result;
  const services = topology.services.map((s) => `${s.name} [${versionsOf(s)}]`).join(', ');
  const renders = context.verdicts.filter((v) => v.problems.length === 0).map((v) => v.entry.name);
  const kinds = [...new Set(gaps.map((g) => GAP_ADVICE[g.kind].title))];
  return [
    `Imported ${topology.services.length} service(s): ${services}; ingress ${topology.ingress.service}` +
      (topology.externals?.length
        ? `; externals ${topology.externals.map((e) => e.name).join(', ')}`
        : ''),
    kinds.length > 0
      ? `Not carried (${gaps.length}): ${kinds.join('; ')}`
      : 'Everything read was carried over',
    ...(placeholders.length > 0
      ? [`No task definition, placeholder to fill in: ${placeholders.join(', ')}`]
      : []),
    `Renders on: ${renders.join(', ') || 'no flavor (see the report)'}`,
    `Wrote ${context.out}${reportFile ? ` and ${reportFile}` : ''}`,
  ].join('\n');
}
