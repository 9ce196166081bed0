/**
 * Flower process recognition and command-line flags. Roles come from the
 * `fl-security/role` label, else from the image (flwr/superlink,
 * flwr/supernode) or the command (flower-superlink, flower-supernode).
 */
import { ROLE_LABEL } from '@fl-security/plugin-fl-security-common';
import type { Container, Workload } from './workloads';

export type FlRole = 'aggregator' | 'participant';

const BINARIES: Record<string, FlRole> = {
  'flower-superlink': 'aggregator',
  'flower-supernode': 'participant',
};

const IMAGES: Array<[RegExp, FlRole]> = [
  [/(^|\/)flwr\/superlink(:|@|$)/, 'aggregator'],
  [/(^|\/)flwr\/supernode(:|@|$)/, 'participant'],
];

/** Flags that never take a value (so the next token is not consumed). */
const BOOLEAN_FLAGS = new Set([
  '--insecure',
  '--enable-supernode-auth',
  '--simulation',
  '--disable-runtime-dependency-installation',
  '--allow-runtime-dependency-installation',
  '--enable-event-log',
  '--help',
  '--version',
]);

const SHELLS = /(^|\/)(sh|bash|ash|dash|zsh)$/;

/** Splits a shell script into words (quotes and backslashes; no expansion). */
export function shellWords(script: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < script.length)
        current += script[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < script.length) {
      current += script[++i];
      inWord = true;
    } else if (/\s/.test(ch) || ch === ';' || ch === '&' || ch === '|') {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** The words a container runs: command + args, shell `-c` scripts expanded. */
export function argvOf(container: Container): string[] {
  const argv = [...container.command, ...container.args];
  if (argv.length >= 2 && SHELLS.test(argv[0])) {
    const c = argv.indexOf('-c');
    if (c >= 0 && c + 1 < argv.length)
      return shellWords(argv.slice(c + 1).join(' '));
  }
  return argv;
}

/** The last path segment of a command word (`/usr/sbin/haproxy`: `haproxy`). */
export function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

export interface FlowerProcess {
  role: FlRole;
  container: Container;
  /** Parsed flags after the Flower binary (or all args for image entrypoints). */
  flags: ReadonlyMap<string, string | true>;
  /** Image tag version (e.g. 1.42.0) when the image names one. */
  version?: [number, number, number];
}

export function parseFlags(
  words: readonly string[],
): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (!word.startsWith('--')) continue;
    const eq = word.indexOf('=');
    if (eq > 0) {
      flags.set(word.slice(0, eq), word.slice(eq + 1));
    } else if (
      !BOOLEAN_FLAGS.has(word) &&
      i + 1 < words.length &&
      !words[i + 1].startsWith('--')
    ) {
      flags.set(word, words[++i]);
    } else {
      flags.set(word, true);
    }
  }
  return flags;
}

function imageRole(image: string): FlRole | undefined {
  return IMAGES.find(([pattern]) => pattern.test(image))?.[1];
}

function imageVersion(image: string): [number, number, number] | undefined {
  const match = /:(\d+)\.(\d+)(?:\.(\d+))?/.exec(
    image.slice(image.lastIndexOf('/')),
  );
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** Finds the Flower process of a container, if it runs one. */
export function flowerProcessOf(
  container: Container,
): FlowerProcess | undefined {
  const argv = argvOf(container);
  const index = argv.findIndex(word => BINARIES[basename(word)] !== undefined);
  const version = imageVersion(container.image);
  if (index >= 0) {
    return {
      role: BINARIES[basename(argv[index])],
      container,
      flags: parseFlags(argv.slice(index + 1)),
      version,
    };
  }
  const role = imageRole(container.image);
  // The official images' entrypoint is the Flower binary: args are its flags.
  if (role && container.command.length === 0) {
    return { role, container, flags: parseFlags(container.args), version };
  }
  if (role) return { role, container, flags: parseFlags(argv), version };
  return undefined;
}

export function flowerProcesses(workload: Workload): FlowerProcess[] {
  return workload.containers
    .filter(container => !container.init)
    .map(flowerProcessOf)
    .filter((p): p is FlowerProcess => p !== undefined);
}

/** The role of a workload: the label wins, then Flower recognition. */
export function roleOf(workload: Workload): string | undefined {
  const label = workload.podLabels[ROLE_LABEL] ?? workload.labels[ROLE_LABEL];
  if (label) return label;
  return flowerProcesses(workload)[0]?.role;
}

/** Port of a `host:port` / `[v6]:port` address flag. */
export function portOfAddress(address: string): number | undefined {
  const match = /:(\d{1,5})$/.exec(address.trim());
  if (!match) return undefined;
  const port = Number(match[1]);
  return port > 0 && port < 65536 ? port : undefined;
}

/** Host part of a `host:port` / `[v6]:port` address flag. */
export function hostOfAddress(address: string): string {
  const trimmed = address.trim();
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(trimmed);
  if (bracket) return bracket[1];
  const colon = trimmed.lastIndexOf(':');
  return colon >= 0 && /^\d+$/.test(trimmed.slice(colon + 1))
    ? trimmed.slice(0, colon)
    : trimmed;
}

function flagString(process: FlowerProcess, flag: string): string | undefined {
  const value = process.flags.get(flag);
  return typeof value === 'string' ? value : undefined;
}

/** Flower moved the Fleet and Control APIs to one HTTP server (--host/--port) in 1.37. */
function usesHttpApi(process: FlowerProcess): boolean {
  const v = process.version;
  if (process.flags.has('--port') || process.flags.has('--host')) return true;
  return v !== undefined && (v[0] > 1 || (v[0] === 1 && v[1] >= 37));
}

/** 127.0.0.0/8, ::1 and localhost: reachable from inside the pod only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return (
    h === 'localhost' ||
    h === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
  );
}

/**
 * The one HTTP listener of a Flower >= 1.37 SuperLink, which serves the
 * Fleet, Control and Runtime APIs together (`--host`, default 127.0.0.1;
 * `--port`, default 8000); undefined for older (gRPC) SuperLinks.
 */
export function superlinkHttpListener(
  process: FlowerProcess,
): { host: string; port: number; loopback: boolean } | undefined {
  if (process.role !== 'aggregator' || !usesHttpApi(process)) return undefined;
  const host = flagString(process, '--host') ?? '127.0.0.1';
  const port = Number(flagString(process, '--port') ?? 8000);
  if (!Number.isInteger(port) || port <= 0 || port >= 65536) return undefined;
  return { host, port, loopback: isLoopbackHost(host) };
}

/**
 * The ports SuperNodes connect to: `--fleet-api-address`, `--port` (Flower
 * >= 1.37 HTTP API), a container port named fleet*, else the default of the
 * image version (9092, or 8000 from 1.37). None for a SuperLink whose HTTP
 * listener is bound to loopback: an in-pod gateway serves the fleet port.
 */
export function fleetPorts(process: FlowerProcess): number[] {
  if (superlinkHttpListener(process)?.loopback) return [];
  const ports = new Set<number>();
  const fleet = flagString(process, '--fleet-api-address');
  if (fleet && portOfAddress(fleet)) ports.add(portOfAddress(fleet)!);
  const port = Number(flagString(process, '--port'));
  if (Number.isInteger(port) && port > 0 && port < 65536) ports.add(port);
  if (ports.size === 0) {
    for (const containerPort of process.container.ports) {
      if (/fleet/i.test(containerPort.name ?? ''))
        ports.add(containerPort.containerPort);
    }
  }
  if (ports.size === 0) ports.add(usesHttpApi(process) ? 8000 : 9092);
  return [...ports].sort((a, b) => a - b);
}

/** Control API port (legacy gRPC 9093), or undefined when it shares the HTTP listener. */
export function controlPort(process: FlowerProcess): number | undefined {
  const address = flagString(process, '--control-api-address');
  if (address) return portOfAddress(address);
  return usesHttpApi(process) ? undefined : 9093;
}

/** In-pod APIs that must never leave the pod. */
export function internalPorts(process: FlowerProcess): number[] {
  if (process.role === 'aggregator') {
    const address = flagString(process, '--serverappio-api-address');
    const ports = new Set<number>([(address && portOfAddress(address)) || 9091]);
    // A loopback-bound HTTP listener carries the Control and Runtime APIs.
    const listener = superlinkHttpListener(process);
    if (listener?.loopback) ports.add(listener.port);
    return [...ports];
  }
  const address = flagString(process, '--clientappio-api-address');
  const port = Number(flagString(process, '--port'));
  const ports = new Set<number>([(address && portOfAddress(address)) || 9094]);
  if (Number.isInteger(port) && port > 0) ports.add(port);
  return [...ports];
}

export function flagValue(
  process: FlowerProcess,
  flag: string,
): string | undefined {
  return flagString(process, flag);
}
