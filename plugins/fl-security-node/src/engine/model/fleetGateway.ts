/**
 * The in-pod fleet gateway (HAProxy) in front of a SuperLink that listens on
 * loopback: what its configuration forwards. Flower serves its Fleet,
 * Control and Runtime APIs on one listener, so the gateway is the only thing
 * between the participants' port and the unauthenticated Control API; FL-03
 * trusts it only after reading its haproxy.cfg.
 *
 * The parser understands the subset the generator writes (global, defaults,
 * frontend and backend sections; `acl <name> path <exact paths>`; one
 * `http-request deny ... unless METH_POST <acl>`). Anything else is
 * `unsupported`: the rule then cannot pass, it says what it did not read.
 */
import { FLOWER_FLEET_API_PATHS } from '@fl-security/plugin-fl-security-common';
import { someOf } from '../rules/shared/bounded';
import { argvOf, basename } from './flower';
import type { ClusterIndex } from './clusterIndex';
import { configMapValue } from './certificates';
import { resolveFile } from './volumes';
import type { Container, Workload } from './workloads';

/** What one gateway's configuration lets through, as far as it was read. */
export type GatewayVerdict =
  | { status: 'pass'; text: string }
  | { status: 'fail'; text: string }
  | { status: 'unknown'; text: string };

const FLEET_PATHS: ReadonlySet<string> = new Set(FLOWER_FLEET_API_PATHS);

/** Directives of a frontend that do not decide what is forwarded. */
const NEUTRAL_FRONTEND = new Set([
  'bind',
  'log',
  'option',
  'timeout',
  'maxconn',
  'capture',
  'default_backend',
]);
/** Directives of a backend that do not change the request. */
const NEUTRAL_BACKEND = new Set([
  'server',
  'log',
  'option',
  'timeout',
  'balance',
  'mode',
]);

/** HAProxy containers of a workload and the config file each one reads. */
export function haproxyContainers(
  workload: Workload,
): Array<{ container: Container; configPath?: string }> {
  const found: Array<{ container: Container; configPath?: string }> = [];
  for (const container of workload.containers) {
    if (container.init) continue;
    const argv = argvOf(container);
    if (argv.length === 0 || basename(argv[0]) !== 'haproxy') continue;
    const f = argv.indexOf('-f');
    found.push({
      container,
      configPath: f >= 0 && f + 1 < argv.length ? argv[f + 1] : undefined,
    });
  }
  return found;
}

/** The config text a container reads from a mounted ConfigMap, or why not. */
export function gatewayConfigText(
  index: ClusterIndex,
  workload: Workload,
  container: Container,
  path: string | undefined,
): { text: string } | { error: string } {
  const who = `container ${container.name}`;
  if (!path)
    return { error: `${who} names no configuration file (-f): not read` };
  const source = resolveFile(workload, container, path);
  if (source.kind !== 'ConfigMap')
    return {
      error: `${who} reads ${path}, which is not from a ConfigMap (${
        source.kind === 'unmounted' ? source.reason : source.kind
      }): not read`,
    };
  const object = index.get('ConfigMap', source.namespace, source.name);
  if (!object)
    return {
      error: `${who} reads ${path} from ConfigMap ${source.namespace}/${source.name}, which could not be read`,
    };
  const text = configMapValue(object, source.key);
  if (text === undefined)
    return {
      error: `ConfigMap ${source.namespace}/${source.name} has no key ${source.key} (${who} reads ${path})`,
    };
  return { text };
}

interface Section {
  type: string;
  name: string;
  lines: string[][];
}

function words(line: string): string[] {
  return line
    .replace(/(^|\s)#.*$/, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
}

function sectionsOf(text: string): Section[] | string {
  const sections: Section[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = words(raw);
    if (line.length === 0) continue;
    const starts = !/^\s/.test(raw);
    if (starts) {
      sections.push({ type: line[0], name: line[1] ?? '', lines: [] });
      continue;
    }
    const current = sections[sections.length - 1];
    if (!current) return `a directive before any section: ${line.join(' ')}`;
    current.lines.push(line);
  }
  return sections;
}

function modeOf(section: Section | undefined): string | undefined {
  return section?.lines.find(l => l[0] === 'mode')?.[1];
}

function checkFrontend(
  frontend: Section,
  defaults: Section | undefined,
): GatewayVerdict {
  const name = `frontend ${frontend.name}`;
  const mode = modeOf(frontend) ?? modeOf(defaults) ?? 'tcp';
  if (mode !== 'http')
    return {
      status: 'fail',
      text: `${name} runs in ${mode} mode: it forwards every request, the Control API's included`,
    };
  const acls = new Map<string, string[]>();
  const denies: string[][] = [];
  for (const line of frontend.lines) {
    const [directive] = line;
    if (directive === 'mode') continue;
    if (directive === 'acl') {
      const [, acl, criterion, ...values] = line;
      if (criterion !== 'path')
        return {
          status: 'fail',
          text: `${name}: acl ${acl} matches by ${criterion}, not by the exact Fleet API paths`,
        };
      acls.set(acl, [...(acls.get(acl) ?? []), ...values]);
      continue;
    }
    if (directive === 'http-request' && line[1] === 'deny') {
      denies.push(line);
      continue;
    }
    if (!NEUTRAL_FRONTEND.has(directive))
      return {
        status: 'unknown',
        text: `${name}: directive ${directive} is not understood, so what it forwards was not evaluated`,
      };
  }
  const guard = denies.find(line => {
    const unless = line.indexOf('unless');
    return (
      unless > 0 &&
      line.length === unless + 3 &&
      line.slice(unless + 1).includes('METH_POST')
    );
  });
  if (denies.length === 0)
    return {
      status: 'fail',
      text: `${name} denies nothing: every path, the Control API's included, reaches the SuperLink`,
    };
  if (!guard || denies.length !== 1)
    return {
      status: 'unknown',
      text: `${name}: its deny rules are not the one \`http-request deny unless METH_POST <acl>\` this check reads, so what it forwards was not evaluated`,
    };
  const unless = guard.indexOf('unless');
  const acl = guard.slice(unless + 1).find(word => word !== 'METH_POST')!;
  const paths = acls.get(acl);
  if (!paths)
    return {
      status: 'fail',
      text: `${name}: acl ${acl} of its deny rule is not defined (it matches nothing)`,
    };
  const beyond = paths.filter(p => !FLEET_PATHS.has(p));
  if (beyond.length)
    return {
      status: 'fail',
      text: `${name} forwards ${someOf(
        beyond,
        5,
      )} besides the Fleet API paths of the pinned Flower release`,
    };
  return {
    status: 'pass',
    text: `${name} forwards only POST to ${paths.length} Fleet API path(s)`,
  };
}

/** Checks one gateway's haproxy.cfg: only the Fleet API may pass. */
export function checkGatewayConfig(text: string): GatewayVerdict {
  const sections = sectionsOf(text);
  if (typeof sections === 'string')
    return { status: 'unknown', text: `the configuration has ${sections}` };
  const unknown = sections.filter(
    s => !['global', 'defaults', 'frontend', 'backend'].includes(s.type),
  );
  if (unknown.length)
    return {
      status: unknown.some(s => s.type === 'listen') ? 'fail' : 'unknown',
      text: `section(s) ${someOf(
        unknown.map(s => `${s.type} ${s.name}`.trim()),
        5,
      )} not evaluated (a listen section forwards without the frontend's rules)`,
    };
  const defaults = sections.filter(s => s.type === 'defaults');
  if (defaults.length > 1)
    return {
      status: 'unknown',
      text: 'more than one defaults section: not evaluated',
    };
  const frontends = sections.filter(s => s.type === 'frontend');
  if (frontends.length === 0)
    return { status: 'unknown', text: 'no frontend section: nothing to read' };
  for (const backend of sections.filter(s => s.type === 'backend')) {
    const other = backend.lines.find(l => !NEUTRAL_BACKEND.has(l[0]));
    if (other)
      return {
        status: 'unknown',
        text: `backend ${backend.name}: directive ${other[0]} is not understood (it may rewrite requests)`,
      };
  }
  const verdicts = frontends.map(f => checkFrontend(f, defaults[0]));
  return (
    verdicts.find(v => v.status === 'fail') ??
    verdicts.find(v => v.status === 'unknown') ?? {
      status: 'pass',
      text: verdicts.map(v => v.text).join('; '),
    }
  );
}
