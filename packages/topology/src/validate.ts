import { backendEnvVar } from './env';
import { TopologyError } from './errors';
import { findBackendCycle } from './graph';
import { checkTrafficPolicy } from './traffic-policy';
import { imageReferenceProblem } from './image';
import type { ServiceSpec, Topology, VersionRoute } from './types';

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// RFC 7230 token: what a header or cookie name may contain.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// RFC 6265 cookie-octet: no whitespace, quotes, comma, semicolon or backslash.
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/;
/** Set by each renderer, never by the topology. */
const RESERVED_ENV = ['PORT', 'HOST'];

type Report = (problem: string) => void;

/**
 * Checks everything a renderer relies on and throws one {@link TopologyError} listing every
 * problem, each naming the service and the fix. Returns the topology for chaining.
 */
export function validateTopology<T extends Topology>(topology: T): T {
  const problems: string[] = [];
  const report: Report = (problem) => problems.push(problem);

  checkSystem(topology, report);
  const names = new Set<string>();
  for (const service of topology.services ?? []) {
    if (names.has(service.name)) {
      report(`service "${service.name}" is defined twice: give each service a unique name`);
    }
    names.add(service.name);
    checkService(service, topology, report);
  }
  checkIngress(topology, names, report);
  checkExternals(topology, names, report);
  // Without a services list there is nothing to walk; that problem is already reported.
  const cycle = topology.services ? findBackendCycle(topology) : undefined;
  if (cycle) {
    report(
      `services call each other in a cycle (${cycle.join(' → ')}): remove one of these backends so that calls flow one way`,
    );
  }

  if (problems.length > 0) throw new TopologyError(topology.name || '(unnamed)', problems);
  return topology;
}

function checkSystem(topology: Topology, report: Report): void {
  if (!DNS_LABEL.test(topology.name ?? '')) {
    report(
      `topology name "${topology.name}" is not a DNS label: use 1-63 lower-case letters, digits or '-', e.g. "color-teller"`,
    );
  }
  const labels = (topology.namespace ?? '').split('.');
  if (labels.length < 2 || !labels.every((label) => DNS_LABEL.test(label))) {
    report(
      `namespace "${topology.namespace}" is not a private DNS name: use dot-separated lower-case labels, e.g. "color-teller.local"`,
    );
  }
  if (!topology.services?.length) {
    report('the topology has no services: add at least one to "services"');
  }
}

function checkIngress(topology: Topology, names: ReadonlySet<string>, report: Report): void {
  const { service, port } = topology.ingress ?? {};
  if (!service || !names.has(service)) {
    report(
      `ingress fronts unknown service "${service}": set ingress.service to one of ${list(names)}`,
    );
  }
  if (port !== undefined) checkPort(port, 'ingress port', report);
}

function checkService(service: ServiceSpec, topology: Topology, report: Report): void {
  const at = `service "${service.name}"`;
  if (!DNS_LABEL.test(service.name ?? '')) {
    report(
      `${at}: name is not a DNS label: use 1-63 lower-case letters, digits or '-', e.g. "color"`,
    );
  }
  if (!service.codePath || service.codePath.startsWith('/') || service.codePath.includes('..')) {
    report(
      `${at}: codePath "${service.codePath}" must be a folder inside the repository, relative to its root, e.g. "services/color-backend"`,
    );
  }
  checkCommand(service, report);
  checkImage(service, report);
  checkPort(service.port, `${at}: port`, report);
  if (!service.healthPath?.startsWith('/')) {
    report(`${at}: healthPath "${service.healthPath}" must start with '/', e.g. "/health"`);
  }
  checkEnv(service.env, `${at}: env`, report);
  checkBackends(service, topology, report);
  checkVersions(service, report);
  (service.routes ?? []).forEach((route, index) => checkRoute(service, route, index, report));
  checkTimeouts(service, report);
  checkTrafficPolicy(service, report);
  checkScaling(service, report);
  checkDeployment(service, report);
  checkSize(service, report);
}

function checkCommand(service: ServiceSpec, report: Report): void {
  const { command } = service;
  if (command === undefined) return;
  const at = `service "${service.name}": command`;
  if (!Array.isArray(command) || command.length === 0) {
    report(
      `${at} is empty: give the program and its arguments as an array, e.g. ["python3", "server.py"], or remove "command" for a Node service of this repository`,
    );
    return;
  }
  command.forEach((arg: unknown, index) => {
    if (typeof arg !== 'string' || (index === 0 && arg.trim() === '')) {
      report(
        `${at}[${index}] ${JSON.stringify(arg)} is not ${index === 0 ? 'a program name' : 'a string'}: use strings only, the program first, e.g. ["python3", "server.py"]`,
      );
    }
  });
}

function checkImage(service: ServiceSpec, report: Report): void {
  if (service.image === undefined) return;
  const problem = imageReferenceProblem(service.image);
  if (problem) report(`service "${service.name}": image "${service.image}" ${problem}`);
}

function checkExternals(topology: Topology, services: ReadonlySet<string>, report: Report): void {
  const called = new Set(
    (topology.services ?? []).flatMap((s) => (s.backends ?? []).map((b) => b.service)),
  );
  const seen = new Set<string>();
  for (const external of topology.externals ?? []) {
    const at = `external "${external.name}"`;
    if (!DNS_LABEL.test(external.name ?? '')) {
      report(
        `${at}: name is not a DNS label: use 1-63 lower-case letters, digits or '-', e.g. "colornames"`,
      );
    }
    if (seen.has(external.name)) {
      report(`${at} is declared twice: keep one`);
    } else if (services.has(external.name)) {
      report(`${at} has the name of a service: rename one of them`);
    }
    seen.add(external.name);
    checkExternalUrl(external.baseUrl, at, report);
    if (!called.has(external.name)) {
      report(`${at} is called by no service: list it among a service's backends, or remove it`);
    }
  }
}

function checkExternalUrl(baseUrl: string, at: string, report: Report): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    report(
      `${at}: baseUrl "${baseUrl}" is not a URL: use an https:// URL, e.g. "https://api.example.com"`,
    );
    return;
  }
  if (url.protocol !== 'https:') {
    report(
      `${at}: baseUrl "${baseUrl}" is not HTTPS: use https://${url.host}${url.pathname === '/' ? '' : url.pathname}`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    report(
      `${at}: baseUrl "${baseUrl}" holds credentials, a query or a fragment: keep only the scheme, host and path`,
    );
  }
}

function checkPort(port: number, what: string, report: Report): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    report(`${what} ${port} is out of range: use an integer from 1 to 65535`);
  }
}

function checkEnv(env: Readonly<Record<string, string>> | undefined, what: string, report: Report) {
  for (const [name, value] of Object.entries(env ?? {})) {
    if (!ENV_NAME.test(name)) {
      report(`${what} name "${name}" is not a valid env var name: use letters, digits and '_'`);
    } else if (RESERVED_ENV.includes(name)) {
      report(`${what} sets ${name}, which the runner sets: remove it (use "port" for the port)`);
    }
    if (typeof value !== 'string') {
      report(`${what} ${name} must be a string: quote the value`);
    }
  }
}

function checkBackends(service: ServiceSpec, topology: Topology, report: Report): void {
  const at = `service "${service.name}"`;
  const known = new Set([
    ...(topology.services ?? []).map((s) => s.name),
    ...(topology.externals ?? []).map((e) => e.name),
  ]);
  const called = new Set<string>();
  const envVars = new Set<string>();
  for (const backend of service.backends ?? []) {
    if (!known.has(backend.service)) {
      report(
        `${at}: backend "${backend.service}" is not a service of the topology: use one of ${list(known)}`,
      );
    } else if (backend.service === service.name) {
      report(`${at}: calls itself as a backend: remove "${backend.service}" from its backends`);
    }
    if (called.has(backend.service)) {
      report(`${at}: backend "${backend.service}" is listed twice: keep one`);
    }
    called.add(backend.service);
    const envVar = backendEnvVar(backend);
    if (!ENV_NAME.test(envVar)) {
      report(
        `${at}: backend env var "${envVar}" is not a valid env var name: use letters, digits and '_'`,
      );
    }
    if (envVars.has(envVar)) {
      report(`${at}: two backends use env var ${envVar}: give one of them another envVar`);
    }
    envVars.add(envVar);
  }
}

function checkVersions(service: ServiceSpec, report: Report): void {
  const at = `service "${service.name}"`;
  const versions = service.versions ?? [];
  if (versions.length === 0) {
    report(`${at}: has no versions: add at least one, e.g. { name: "v1" }`);
  }
  const names = new Set<string>();
  for (const version of versions) {
    if (!DNS_LABEL.test(version.name ?? '')) {
      report(
        `${at}: version name "${version.name}" is not a DNS label: use lower-case letters, digits or '-'`,
      );
    }
    if (names.has(version.name)) {
      report(`${at}: version "${version.name}" is defined twice: give each version a unique name`);
    }
    names.add(version.name);
    const { weight } = version;
    if (weight === undefined) {
      if (versions.length > 1) {
        report(
          `${at}: version "${version.name}" has no weight: with several versions give each a positive integer weight, e.g. 80 and 20`,
        );
      }
    } else if (!Number.isInteger(weight) || weight < 1) {
      report(
        `${at}: version "${version.name}" has weight ${weight}: use a positive integer, e.g. 80 and 20`,
      );
    }
    checkEnv(version.env, `${at}: version "${version.name}" env`, report);
  }
}

function checkRoute(service: ServiceSpec, route: VersionRoute, index: number, report: Report) {
  const at = `service "${service.name}": route ${index + 1}`;
  const versions = new Set((service.versions ?? []).map((v) => v.name));
  if (!versions.has(route.version)) {
    report(`${at} goes to unknown version "${route.version}": use one of ${list(versions)}`);
  }
  const { whenHeader, whenCookie } = route;
  if ((whenHeader === undefined) === (whenCookie === undefined)) {
    report(
      `${at} must have exactly one of whenHeader or whenCookie: split it into one route per match`,
    );
  }
  if (whenHeader) {
    if (!TOKEN.test(whenHeader.name ?? '')) {
      report(
        `${at}: header name "${whenHeader.name}" is not a valid header name: use letters, digits and '-', e.g. "x-color-version"`,
      );
    }
    if (!whenHeader.equals) {
      report(`${at}: header "${whenHeader.name}" needs a non-empty value in "equals"`);
    }
  }
  if (whenCookie) {
    if (!TOKEN.test(whenCookie.name ?? '')) {
      report(
        `${at}: cookie name "${whenCookie.name}" is not a valid cookie name: use letters, digits and '-', e.g. "color-version"`,
      );
    }
    if (!COOKIE_VALUE.test(whenCookie.equals ?? '')) {
      report(
        `${at}: cookie value "${whenCookie.equals}" is empty or holds a space, quote, comma, ';' or '\\': use a plain token, e.g. "blue"`,
      );
    }
  }
}

function checkTimeouts(service: ServiceSpec, report: Report): void {
  for (const [name, value] of Object.entries(service.timeouts ?? {})) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      report(
        `service "${service.name}": timeouts.${name} ${value} must be a positive integer of milliseconds`,
      );
    }
  }
}

function checkScaling(service: ServiceSpec, report: Report): void {
  const scaling = service.scaling;
  if (!scaling) return;
  const at = `service "${service.name}": scaling`;
  const { minTasks, maxTasks, targetCpuPercent, requestsPerTarget } = scaling;
  if (!Number.isInteger(minTasks) || minTasks < 1) {
    report(`${at}.minTasks ${minTasks} must be an integer of at least 1`);
  }
  if (!Number.isInteger(maxTasks) || maxTasks < minTasks) {
    report(`${at}.maxTasks ${maxTasks} must be an integer not below minTasks (${minTasks})`);
  }
  if (targetCpuPercent !== undefined && !(targetCpuPercent > 0 && targetCpuPercent <= 100)) {
    report(`${at}.targetCpuPercent ${targetCpuPercent} must be between 1 and 100`);
  }
  if (
    requestsPerTarget !== undefined &&
    (!Number.isInteger(requestsPerTarget) || requestsPerTarget < 1)
  ) {
    report(`${at}.requestsPerTarget ${requestsPerTarget} must be a positive integer`);
  }
}

function checkDeployment(service: ServiceSpec, report: Report): void {
  const deployment = service.deployment;
  if (!deployment) return;
  const at = `service "${service.name}": deployment`;
  const strategies = ['rolling', 'canary', 'linear', 'blue-green'];
  if (!strategies.includes(deployment.strategy)) {
    report(
      `${at}.strategy "${deployment.strategy}" is unknown: use one of ${strategies.join(', ')}`,
    );
  }
  const { bakeMinutes, stepPercent } = deployment;
  if (bakeMinutes !== undefined && (!Number.isInteger(bakeMinutes) || bakeMinutes < 0)) {
    report(`${at}.bakeMinutes ${bakeMinutes} must be a whole number of minutes, 0 or more`);
  }
  if (
    stepPercent !== undefined &&
    (!Number.isInteger(stepPercent) || stepPercent < 1 || stepPercent > 99)
  ) {
    report(`${at}.stepPercent ${stepPercent} must be an integer from 1 to 99`);
  }
}

function checkSize(service: ServiceSpec, report: Report): void {
  for (const [name, value] of Object.entries(service.size ?? {})) {
    if (!Number.isInteger(value) || value < 1) {
      report(`service "${service.name}": size.${name} ${value} must be a positive integer`);
    }
  }
}

function list(names: Iterable<string>): string {
  const all = [...names].map((n) => `"${n}"`);
  return all.length > 0 ? all.join(', ') : '(none defined)';
}
