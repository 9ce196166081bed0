/**
 * NetworkPolicies compiled once with Kubernetes' semantics:
 * - `podSelector: {}` selects every pod of the policy namespace;
 * - policyTypes defaults to Ingress, plus Egress when egress rules exist;
 * - a rule with an empty or absent `from`/`to` admits every peer, and
 *   absent `ports` admits every port;
 * - peers of one rule are ORed; inside one peer the namespaceSelector and the
 *   podSelector are ANDed; an absent namespaceSelector means the policy's own
 *   namespace, `namespaceSelector: {}` every namespace;
 * - named ports resolve per destination pod, `endPort` makes a range.
 */
import type { KubeObject } from '../types';
import { AddressSet, ipBlocksSet } from './addressSet';
import { Cidr, parseCidr } from './cidr';
import {
  isRecord,
  namespaceOf,
  num,
  record,
  records,
  str,
  strings,
} from './objects';
import { LabelMatcher, MATCH_ALL, compileSelector } from './selectors';
import { Workload, resolveNamedPort } from './workloads';

export interface PortSpec {
  protocol: string;
  /** Undefined: every port of the protocol. */
  port?: number | string;
  endPort?: number;
}

export type Peer =
  | {
      type: 'ipBlock';
      cidr: Cidr;
      except: Cidr[];
      /** The cidr minus its excepts, as a set. */
      addresses: AddressSet;
      /** `cidr` or `cidr except a, b`. */
      text: string;
    }
  | {
      type: 'selector';
      /** Undefined: the policy's own namespace only. */
      namespaceSelector?: LabelMatcher;
      /** Undefined: every pod of the selected namespaces. */
      podSelector?: LabelMatcher;
      /** The namespaceSelector as written (to see pinned namespace names). */
      rawNamespaceSelector?: unknown;
      text: string;
    };

export interface PolicyRule {
  /** `from`/`to` empty or absent: every source or destination. */
  allPeers: boolean;
  peers: Peer[];
  /** Absent or empty `ports`: every port. */
  ports: PortSpec[] | 'all';
  /** Invalid peers (bad selector or CIDR): the rule cannot be evaluated fully. */
  errors: string[];
}

export interface CompiledPolicy {
  object: KubeObject;
  cluster?: string;
  namespace: string;
  name: string;
  /** Undefined when the podSelector is invalid (see `error`). */
  podSelector?: LabelMatcher;
  error?: string;
  affectsIngress: boolean;
  affectsEgress: boolean;
  ingress: PolicyRule[];
  egress: PolicyRule[];
}

function describePeer(peer: Record<string, unknown>): string {
  return JSON.stringify(peer);
}

function compilePeer(raw: Record<string, unknown>): Peer | string {
  const ipBlock = raw.ipBlock;
  if (isRecord(ipBlock)) {
    const cidr = parseCidr(str(ipBlock.cidr) ?? '');
    if (!cidr)
      return `invalid ipBlock.cidr ${JSON.stringify(ipBlock.cidr ?? null)}`;
    const except: Cidr[] = [];
    for (const text of strings(ipBlock.except)) {
      const parsed = parseCidr(text);
      if (!parsed) return `invalid ipBlock.except ${JSON.stringify(text)}`;
      except.push(parsed);
    }
    const addresses = ipBlocksSet([ipBlock]);
    if (addresses.errors.length)
      return `invalid ipBlock: ${addresses.errors.join('; ')}`;
    return {
      type: 'ipBlock',
      cidr,
      except,
      addresses: addresses.set,
      text: except.length
        ? `${cidr.text} except ${except.map(e => e.text).join(', ')}`
        : cidr.text,
    };
  }
  const hasNs =
    raw.namespaceSelector !== undefined && raw.namespaceSelector !== null;
  const hasPod = raw.podSelector !== undefined && raw.podSelector !== null;
  if (!hasNs && !hasPod)
    return `peer without selector or ipBlock: ${describePeer(raw)}`;
  let namespaceSelector: LabelMatcher | undefined;
  let podSelector: LabelMatcher | undefined;
  if (hasNs) {
    const compiled = compileSelector(raw.namespaceSelector);
    if (!compiled.ok) return `namespaceSelector: ${compiled.error}`;
    namespaceSelector = compiled.matcher;
  }
  if (hasPod) {
    const compiled = compileSelector(raw.podSelector);
    if (!compiled.ok) return `podSelector: ${compiled.error}`;
    podSelector = compiled.matcher;
  }
  const parts: string[] = [];
  if (namespaceSelector)
    parts.push(`namespaceSelector: ${namespaceSelector.text}`);
  if (podSelector) parts.push(`podSelector: ${podSelector.text}`);
  return {
    type: 'selector',
    namespaceSelector,
    podSelector,
    rawNamespaceSelector: raw.namespaceSelector,
    text: parts.join(' + '),
  };
}

function compilePorts(raw: unknown): PortSpec[] | 'all' {
  const list = records(raw);
  if (list.length === 0) return 'all';
  return list.map(port => {
    const value = port.port;
    let parsed: number | string | undefined;
    if (typeof value === 'number') parsed = value;
    else if (typeof value === 'string')
      parsed = /^\d+$/.test(value) ? Number(value) : value;
    return {
      protocol: str(port.protocol) ?? 'TCP',
      port: parsed,
      endPort: num(port.endPort),
    };
  });
}

function compileRules(raw: unknown, peerField: 'from' | 'to'): PolicyRule[] {
  return records(raw).map(rule => {
    const rawPeers = rule[peerField];
    const peerList = records(rawPeers);
    const errors: string[] = [];
    const peers: Peer[] = [];
    for (const rawPeer of peerList) {
      const peer = compilePeer(rawPeer);
      if (typeof peer === 'string') errors.push(peer);
      else peers.push(peer);
    }
    return {
      allPeers: peerList.length === 0,
      peers,
      ports: compilePorts(rule.ports),
      errors,
    };
  });
}

export function compilePolicy(
  object: KubeObject,
  cluster?: string,
): CompiledPolicy {
  const spec = record(object.spec);
  const selector = compileSelector(spec.podSelector ?? {});
  const egressRaw = Array.isArray(spec.egress) ? spec.egress : [];
  const types = Array.isArray(spec.policyTypes)
    ? strings(spec.policyTypes)
    : ['Ingress', ...(egressRaw.length > 0 ? ['Egress'] : [])];
  return {
    object,
    cluster,
    namespace: namespaceOf(object) ?? 'default',
    name: str(object.metadata?.name) ?? '',
    podSelector: selector.ok ? selector.matcher : undefined,
    error: selector.ok ? undefined : `podSelector: ${selector.error}`,
    affectsIngress: types.includes('Ingress'),
    affectsEgress: types.includes('Egress'),
    ingress: compileRules(spec.ingress, 'from'),
    egress: compileRules(spec.egress, 'to'),
  };
}

/** Does a port list admit `port`/`protocol` on the destination workload? */
export function portsAdmit(
  ports: PortSpec[] | 'all',
  port: number,
  protocol: string,
  destination?: Workload,
): boolean {
  if (ports === 'all') return true;
  return ports.some(spec => {
    if (spec.protocol !== protocol) return false;
    if (spec.port === undefined) return true;
    if (typeof spec.port === 'number') {
      return port >= spec.port && port <= (spec.endPort ?? spec.port);
    }
    return (
      destination !== undefined &&
      resolveNamedPort(destination, spec.port, protocol) === port
    );
  });
}

/** True when every port in the list is DNS (53). */
export function onlyDnsPorts(ports: PortSpec[] | 'all'): boolean {
  return (
    ports !== 'all' &&
    ports.every(
      spec =>
        spec.port === 53 && (spec.endPort === undefined || spec.endPort === 53),
    )
  );
}

export { MATCH_ALL };
