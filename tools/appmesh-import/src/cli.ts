/**
 * `npm run import -- appmesh <template>… [--param Name=Value]… [--ingress <service>]
 * --out <file.topology.ts> [--report <file.md>]`. Exit 0 on success, 2 on bad input (one error
 * naming the file and place; nothing written).
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ImportError } from './errors';
import { importAppMesh } from './import-appmesh';
import { topologySource } from './write-topology';
import { reportMarkdown, reportSummary } from './write-report';

const USAGE =
  'usage: npm run import -- appmesh <template.(json|yaml)>… [--param Name=Value]… [--ingress <service>] --out <file.topology.ts> [--report <file.md>]';

/** Bad command-line use: exit 2 like bad input. */
class UsageError extends Error {}

interface Streams {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

function parseParameters(values: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    values.map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 1)
        throw new UsageError(`--param "${pair}" is not Name=Value, e.g. --param ProjectName=howto`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}

/** Runs the command; returns the exit code. Writes nothing unless everything succeeded. */
export async function runCli(
  argv: readonly string[],
  streams: Streams = { out: console.log, err: console.error },
  cwd: string = process.cwd(),
): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        param: { type: 'string', multiple: true, default: [] },
        out: { type: 'string' },
        report: { type: 'string' },
        ingress: { type: 'string' },
      },
    });
    const [source, ...templates] = positionals;
    if (source !== 'appmesh')
      throw new UsageError(`unknown source "${source ?? ''}": the one source is "appmesh"`);
    if (templates.length === 0) throw new UsageError('give at least one CloudFormation template');
    if (!values.out) throw new UsageError('--out <file.topology.ts> is required');
    const { result, verdicts } = importAppMesh({
      templates,
      parameters: parseParameters(values.param ?? []),
      ingress: values.ingress,
    });
    const out = relative(cwd, values.out) || values.out;
    const command = ['npm run import --', ...argv].join(' ');
    const context = { result, verdicts, command, out };
    const source_ = await topologySource(result.topology, {
      file: values.out,
      origin: [
        `Imported from App Mesh by \`${command}\`.`,
        ...(values.report
          ? [`What carried over and what did not: ${relative(cwd, values.report)}.`]
          : []),
        ...(result.placeholders.length > 0
          ? [
              `No task definition was given for ${result.placeholders.join(', ')}: each has a placeholder codePath that names no folder, so synthesis stops at it; set codePath to the folder with the service's Dockerfile, or set image.`,
            ]
          : []),
      ],
    });
    const report = values.report ? reportMarkdown(context) : undefined;
    writeFileSync(values.out, source_);
    if (values.report && report) writeFileSync(values.report, report);
    streams.out(reportSummary(context, values.report));
    return 0;
  } catch (error) {
    if (error instanceof ImportError || error instanceof UsageError) {
      streams.err(`error: ${error.message}`);
      if (error instanceof UsageError) streams.err(USAGE);
      return 2;
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      streams.err(`error: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2));
}
