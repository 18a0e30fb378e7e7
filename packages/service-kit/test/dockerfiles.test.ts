import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const servicesDir = fileURLToPath(new URL('../../../services/', import.meta.url));
const services = readdirSync(servicesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

interface Stage {
  readonly from: string;
  readonly lines: readonly string[];
}

/** Instructions (continuation lines joined, comments dropped), grouped by FROM stage. */
function stagesOf(dockerfile: string): Stage[] {
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: { from: string; lines: string[] }[] = [];
  for (const line of instructions) {
    if (/^FROM\s/i.test(line)) stages.push({ from: line, lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

describe.each(services)('services/%s/Dockerfile', (service) => {
  const dockerfile = readFileSync(`${servicesDir}${service}/Dockerfile`, 'utf8');
  const stages = stagesOf(dockerfile);
  const runtime = stages.at(-1) as Stage;

  it('is multi-stage, every stage on an exactly pinned Node 22 or 24 LTS image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      expect(stage.from).toMatch(
        /^FROM node:(22|24)\.\d+\.\d+-(alpine|bookworm-slim|trixie-slim)[\w.]*(@sha256:[0-9a-f]{64})?( AS \w+)?$/i,
      );
    }
  });

  it('runs as a non-root user', () => {
    const users = runtime.lines.filter((line) => /^USER\s/i.test(line));
    expect(users).toHaveLength(1);
    const user = (users[0] as string).split(/\s+/)[1] as string;
    expect(user.split(':')[0]).not.toMatch(/^(root|0)$/);
  });

  it('checks its health with node itself, not curl or wget', () => {
    const healthcheck = runtime.lines.find((line) => /^HEALTHCHECK\s/i.test(line));
    expect(healthcheck).toMatch(/CMD \["node", "-e"/);
    expect(healthcheck).not.toMatch(/curl|wget/);
  });

  it('ships only the bundle (and built page), no node_modules', () => {
    const copies = runtime.lines.filter((line) => /^(COPY|ADD)\s/i.test(line));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      expect(copy).toMatch(/^COPY --from=build /);
      expect(copy).not.toContain('node_modules');
    }
  });

  it('keeps node_modules, tests and build output out of the build context', () => {
    const ignored = readFileSync(`${servicesDir}${service}/Dockerfile.dockerignore`, 'utf8').split(
      '\n',
    );
    for (const pattern of ['**/node_modules', '**/test', '**/dist', 'cdk.out']) {
      expect(ignored).toContain(pattern);
    }
  });
});
