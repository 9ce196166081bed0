/**
 * NET-01: an effective default-deny NetworkPolicy for ingress and egress in
 * every namespace of the federation. Default-deny = a policy selecting every
 * pod of the namespace, the direction in (effective) policyTypes and no rule
 * admitting anything (for egress, rules limited to DNS port 53 are
 * tolerated). "Every pod" is judged on the selector's effect: `{}`, or an
 * expression every pod of the manifests matches (offline); live, the reader
 * does not see every pod, so only `{}` counts. A default-deny that another
 * policy selecting every pod reopens (a rule without peers) does not count.
 */
import type { ClusterIndex } from '../model/clusterIndex';
import { CompiledPolicy, onlyDnsPorts } from '../model/networkPolicy';
import { policyName } from '../model/reachability';
import { defineRule, each, fail, pass, warn } from '../ruleKit';
import { NETWORK_POLICIES } from './shared/needs';
import { namespaces } from './shared/subjects';

type Direction = 'ingress' | 'egress';

function denies(policy: CompiledPolicy, direction: Direction): boolean {
  return direction === 'ingress'
    ? policy.affectsIngress && policy.ingress.length === 0
    : policy.affectsEgress &&
        policy.egress.every(rule => onlyDnsPorts(rule.ports));
}

export function deniesAllIngress(policy: CompiledPolicy): boolean {
  return Boolean(policy.podSelector?.matchesAll) && denies(policy, 'ingress');
}

export function deniesAllEgress(policy: CompiledPolicy): boolean {
  return Boolean(policy.podSelector?.matchesAll) && denies(policy, 'egress');
}

type Coverage =
  | { every: true; how?: string }
  | { every: false; unknown?: string };

/** Does the policy select every pod of its namespace? From the selector's effect, never a guess. */
export function selectsEveryPod(
  policy: CompiledPolicy,
  index: ClusterIndex,
): Coverage {
  const selector = policy.podSelector;
  if (!selector) return { every: false };
  if (selector.matchesAll) return { every: true };
  if (!index.offline) {
    return {
      every: false,
      unknown: `the reader lists only the entity's pods, so it cannot tell whether ${selector.text} selects every pod of the namespace (use podSelector: {})`,
    };
  }
  const workloads = index.workloadsIn(policy.namespace).items();
  if (workloads.length === 0) {
    return {
      every: false,
      unknown: `the manifests define no pod in the namespace to judge ${selector.text} on`,
    };
  }
  if (workloads.every(w => selector.matches(w.podLabels))) {
    return {
      every: true,
      how: `${selector.text} matches every pod the manifests define`,
    };
  }
  return { every: false };
}

interface DirectionState {
  /** pass: denied; warn: partly or uncertainly; fail: not denied. */
  status: 'pass' | 'warn' | 'fail';
  /** What denies the direction (policy names). */
  deniedBy: string[];
  text: string;
}

function describeReopen(policy: CompiledPolicy, direction: Direction) {
  const rules = policy[direction].filter(
    rule =>
      rule.allPeers && !(direction === 'egress' && onlyDnsPorts(rule.ports)),
  );
  if (rules.length === 0) return undefined;
  const every = rules.some(r => r.ports === 'all');
  const peer = direction === 'ingress' ? 'source' : 'destination';
  const ports = rules
    .flatMap(r => (r.ports === 'all' ? [] : r.ports))
    .map(p =>
      p.port === undefined
        ? `every ${p.protocol} port`
        : `${p.protocol}/${p.port}${p.endPort ? `-${p.endPort}` : ''}`,
    );
  return {
    every,
    text: `every ${peer} on ${every ? 'every port' : ports.join(', ')}`,
  };
}

interface Reopen {
  policy: CompiledPolicy;
  every: boolean;
  text: string;
}

/** The policies of one direction: which deny for every pod, which cannot tell, which reopen. */
function classify(
  policies: readonly CompiledPolicy[],
  index: ClusterIndex,
  direction: Direction,
) {
  const notes: string[] = [];
  const deniers: CompiledPolicy[] = [];
  const uncertain: string[] = [];
  const reopens: Reopen[] = [];
  for (const policy of policies) {
    const affects =
      direction === 'ingress' ? policy.affectsIngress : policy.affectsEgress;
    if (!affects) continue;
    const coverage = selectsEveryPod(policy, index);
    if (denies(policy, direction)) {
      if (coverage.every) {
        deniers.push(policy);
        if (coverage.how) notes.push(`${policy.name}: ${coverage.how}`);
      } else if (coverage.unknown) {
        uncertain.push(`${policy.name}: ${coverage.unknown}`);
      }
      continue;
    }
    const reopen = describeReopen(policy, direction);
    if (!reopen) continue;
    if (coverage.every) reopens.push({ policy, ...reopen });
    else if (coverage.unknown)
      reopens.push({
        policy,
        every: false,
        text: `${reopen.text}, maybe for every pod (${coverage.unknown})`,
      });
  }
  return { notes, deniers, uncertain, reopens };
}

function directionState(
  policies: readonly CompiledPolicy[],
  index: ClusterIndex,
  direction: Direction,
): DirectionState {
  const { notes, deniers, uncertain, reopens } = classify(
    policies,
    index,
    direction,
  );
  const deniedBy = deniers.map(p => p.name);
  if (deniers.length === 0) {
    return {
      status: uncertain.length ? 'warn' : 'fail',
      deniedBy,
      text: uncertain.length
        ? `${direction}: ${uncertain.join('; ')}`
        : `nothing denies ${direction} by default`,
    };
  }
  if (reopens.length > 0) {
    return {
      status: reopens.some(r => r.every) ? 'fail' : 'warn',
      deniedBy,
      text: `${direction}: the default-deny (${deniedBy.join(
        ', ',
      )}) is reopened by ${reopens
        .map(r => `${policyName(r.policy)} (${r.text})`)
        .join(', ')}`,
    };
  }
  return {
    status: 'pass',
    deniedBy,
    text: notes.length ? `${direction}: ${notes.join('; ')}` : '',
  };
}

export const net01DefaultDeny = defineRule({
  id: 'NET-01',
  checks: [
    each(
      namespaces,
      ({ index, name }) => {
        const policies = index.policiesIn(name);
        const ingress = directionState(policies, index, 'ingress');
        const egress = directionState(policies, index, 'egress');
        if (ingress.status === 'pass' && egress.status === 'pass') {
          const names = [
            ...new Set([ingress.deniedBy[0], egress.deniedBy[0]]),
          ].join(', ');
          const how = [ingress.text, egress.text].filter(Boolean);
          return pass(
            `Namespace ${name} denies ingress and egress by default (${names})${
              how.length ? `; ${how.join('; ')}` : ''
            }.`,
          );
        }
        if (ingress.status === 'fail' && egress.status === 'fail') {
          const reopened = [ingress, egress].filter(s => s.deniedBy.length);
          return fail(
            reopened.length
              ? `Namespace ${name} has no effective default-deny: ${[
                  ingress,
                  egress,
                ]
                  .map(s => s.text)
                  .join('; ')}.`
              : `Namespace ${name} has no default-deny NetworkPolicy (podSelector: {} with no rules) for ingress or egress.`,
          );
        }
        const denied = [ingress, egress].filter(s => s.status === 'pass');
        const only =
          denied.length === 1 && ingress.status === 'pass'
            ? 'ingress'
            : 'egress';
        const open = [ingress, egress]
          .filter(s => s.status !== 'pass')
          .map(s => s.text);
        return warn(
          denied.length === 1
            ? `Namespace ${name} has a default-deny for ${only} only (${
                denied[0].deniedBy[0]
              }); ${open.join('; ')}.`
            : `Namespace ${name}: ${open.join('; ')}.`,
        );
      },
      [NETWORK_POLICIES],
    ),
  ],
});
