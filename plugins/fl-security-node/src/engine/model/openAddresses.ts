/**
 * What the ipBlocks of NetworkPolicy rules admit together, port by port:
 * rules of one direction that admit the same port add up (0.0.0.0/1 in one
 * peer and 128.0.0.0/1 in another is every IPv4 address), rules on
 * different ports do not. The breadth of the union is judged on the set
 * (model/addressSet), never on how the CIDRs are spelled.
 */
import { AddressSet, Family } from './addressSet';
import type { CompiledPolicy, PolicyRule, PortSpec } from './networkPolicy';
import { resolveNamedPort, Workload } from './workloads';

const FAMILIES: readonly Family[] = [4, 6];
const FAMILY_NAME: Record<Family, string> = { 4: 'IPv4', 6: 'IPv6' };

/**
 * Addresses no host on the internet has (RFC 6890 special-purpose,
 * private, shared, loopback, link-local, documentation, multicast,
 * reserved): a set covering everything else admits the whole internet.
 */
const NOT_PUBLIC = AddressSet.fromCidrs([
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/128',
  '::1/128',
  '::ffff:0:0/96',
  '64:ff9b:1::/48',
  '100::/64',
  '2001:db8::/32',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
]).set;

/** At most this many CIDRs are named in a message, then "and N more". */
const NAMED = 3;

function listCidrs(cidrs: readonly string[]): string {
  if (cidrs.length <= NAMED) return cidrs.join(', ');
  return `${cidrs.slice(0, NAMED).join(', ')} and ${
    cidrs.length - NAMED
  } more`;
}

export interface Breadth {
  /** fail: every address, or every public one; warn: half a family or more. */
  status: 'fail' | 'warn';
  text: string;
}

/** How close a set comes to allow-all, per family; undefined when it is narrow. */
export function breadthOf(set: AddressSet): Breadth | undefined {
  const parts: Breadth[] = [];
  for (const family of FAMILIES) {
    const all = AddressSet.all(family);
    const name = FAMILY_NAME[family];
    const missing = all.except(set);
    if (missing.isEmpty()) {
      parts.push({ status: 'fail', text: `every ${name} address` });
      continue;
    }
    const publicAddresses = all.except(NOT_PUBLIC);
    if (set.covers(publicAddresses)) {
      parts.push({
        status: 'fail',
        text: `every public ${name} address (all but ${listCidrs(
          missing.toCidrs(),
        )})`,
      });
      continue;
    }
    const total = all.size(family);
    if (set.size(family) * 2n >= total) {
      const cidrs = missing.toCidrs();
      parts.push({
        status: 'warn',
        text:
          cidrs.length <= NAMED
            ? `every ${name} address except ${cidrs.join(', ')}`
            : `${(set.size(family) * 100n) / total}% of every ${name} address`,
      });
    }
  }
  if (parts.length === 0) return undefined;
  return {
    status: parts.some(p => p.status === 'fail') ? 'fail' : 'warn',
    text: parts.map(p => p.text).join(' and '),
  };
}

/** One rule of one policy, in a direction. */
export interface LocatedRule {
  policy: CompiledPolicy;
  /** 0-based position in the policy's ingress or egress list. */
  position: number;
  rule: PolicyRule;
}

/** A port (or every port of a protocol not otherwise named) traffic may use. */
type Candidate =
  | { kind: 'number'; protocol: string; port: number }
  | { kind: 'named'; protocol: string; name: string }
  | { kind: 'other' };

function describeCandidate(c: Candidate): string {
  if (c.kind === 'number') return `${c.protocol}/${c.port}`;
  if (c.kind === 'named') return `${c.protocol}/${c.name}`;
  return 'every port';
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** Port specs as ranges; named ports resolved on the workload when one is given. */
function specRanges(
  spec: PortSpec,
  workload?: Workload,
):
  | { kind: 'range'; first: number; last: number }
  | { kind: 'named'; name: string }
  | undefined {
  if (spec.port === undefined) return { kind: 'range', first: 1, last: 65535 };
  if (typeof spec.port === 'number')
    return {
      kind: 'range',
      first: spec.port,
      last: Math.max(spec.port, spec.endPort ?? spec.port),
    };
  if (!workload) return { kind: 'named', name: spec.port };
  const resolved = resolveNamedPort(workload, spec.port, spec.protocol);
  // A named port the pods do not declare admits nothing on them.
  return resolved === undefined
    ? undefined
    : { kind: 'range', first: resolved, last: resolved };
}

function admits(
  rule: PolicyRule,
  candidate: Candidate,
  workload?: Workload,
): boolean {
  if (rule.ports === 'all') return true;
  if (candidate.kind === 'other') return false;
  return rule.ports.some(spec => {
    if (spec.protocol !== candidate.protocol) return false;
    const range = specRanges(spec, workload);
    if (!range) return false;
    if (candidate.kind === 'named')
      return (
        range.kind === 'named'
          ? range.name === candidate.name
          : range.first === 1 && range.last === 65535
      );
    return (
      range.kind === 'range' &&
      candidate.port >= range.first &&
      candidate.port <= range.last
    );
  });
}

/** Every port where the set of admitting rules can change, plus "any other port". */
function candidates(rules: readonly LocatedRule[], workload?: Workload) {
  const out: Candidate[] = [{ kind: 'other' }];
  const seen = new Set<string>();
  const add = (c: Candidate) => {
    const key = JSON.stringify(c);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(c);
  };
  for (const protocol of PROTOCOLS) add({ kind: 'number', protocol, port: 1 });
  for (const { rule } of rules) {
    if (rule.ports === 'all') continue;
    for (const spec of rule.ports) {
      const range = specRanges(spec, workload);
      if (!range) continue;
      if (range.kind === 'named') {
        add({ kind: 'named', protocol: spec.protocol, name: range.name });
        continue;
      }
      add({ kind: 'number', protocol: spec.protocol, port: range.first });
      if (range.last < 65535)
        add({ kind: 'number', protocol: spec.protocol, port: range.last + 1 });
    }
  }
  return out;
}

/** The addresses one rule's ipBlock peers admit. */
export function ruleAddresses(rule: PolicyRule): AddressSet {
  let set = AddressSet.EMPTY;
  for (const peer of rule.peers)
    if (peer.type === 'ipBlock') set = set.union(peer.addresses);
  return set;
}

export interface OpenAddresses {
  /** The rules whose ipBlocks add up to `breadth` on the ports named. */
  rules: LocatedRule[];
  set: AddressSet;
  breadth: Breadth;
  /** Where the rules add up, e.g. `TCP/9092`, `every port`. */
  ports: string[];
  /** Every contributing rule is limited to DNS (port 53). */
  dnsOnly: boolean;
}

/**
 * The wide address sets the rules open, port by port; each distinct group
 * of rules is reported once, with the ports where it adds up. Rules without
 * peers (allow-all in any case) are left to the caller.
 */
export function openAddresses(
  rules: readonly LocatedRule[],
  workload?: Workload,
  onlyDns: (rule: PolicyRule) => boolean = () => false,
): OpenAddresses[] {
  const withBlocks = rules.filter(
    r => !r.rule.allPeers && r.rule.peers.some(p => p.type === 'ipBlock'),
  );
  const groups = new Map<string, OpenAddresses>();
  for (const candidate of candidates(withBlocks, workload)) {
    const admitting = withBlocks.filter(r =>
      admits(r.rule, candidate, workload),
    );
    if (admitting.length === 0) continue;
    const set = admitting
      .map(r => ruleAddresses(r.rule))
      .reduce((a, b) => a.union(b), AddressSet.EMPTY);
    const breadth = breadthOf(set);
    if (!breadth) continue;
    const key = admitting
      .map(r => `${r.policy.namespace}/${r.policy.name}#${r.position}`)
      .join(' ');
    const existing = groups.get(key);
    if (existing) {
      existing.ports.push(describeCandidate(candidate));
      continue;
    }
    groups.set(key, {
      rules: admitting,
      set,
      breadth,
      ports: [describeCandidate(candidate)],
      dnsOnly: admitting.every(r => onlyDns(r.rule)),
    });
  }
  // A group whose rules a wider group contains says nothing new.
  const all = [...groups.values()];
  return all.filter(
    g =>
      !all.some(
        other =>
          other !== g &&
          other.rules.length > g.rules.length &&
          g.rules.every(r => other.rules.includes(r)) &&
          other.breadth.text === g.breadth.text,
      ),
  );
}

/** The ipBlocks of a group of rules, as written (for messages). */
export function ipBlockTexts(rules: readonly LocatedRule[]): string[] {
  const texts = new Set<string>();
  for (const { rule } of rules)
    for (const peer of rule.peers)
      if (peer.type === 'ipBlock') texts.add(peer.text);
  return [...texts];
}
