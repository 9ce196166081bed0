/** Reader gaps as verdicts: what could not be read, why, and the permission to grant. */
import type { Federation } from '../model/federation';
import type { SnapshotGap } from '../types';
import { Finding, Verdict, toFinding, verdict } from './verdicts';
import { workloadRef } from './refs';

/** The subject could not be looked at: the gap's status and reason, with the missing permission. */
export function gapVerdict(gap: SnapshotGap, what: string): Verdict {
  const permission = gap.missingPermission
    ? ` (missing permission: ${gap.missingPermission})`
    : '';
  return verdict(
    gap.status,
    `${what}: ${gap.reason}${permission}`,
    gap.missingPermission
      ? `Grant the reader "${gap.missingPermission}".`
      : undefined,
  );
}

/**
 * Error gaps on kinds a rule reads across the federation, in the aggregator
 * namespaces: one finding per kind and reason, on the aggregator. Skip gaps
 * (CRD not installed) only mean there is nothing of the kind.
 */
export function federationGaps(
  federation: Federation,
  kinds: readonly string[],
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const member of federation.aggregators) {
    for (const kind of kinds) {
      const gap = member.index.gapFor(kind, member.workload.namespace);
      if (!gap || gap.status === 'skip') continue;
      const key = `${kind}/${gap.reason}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(
        toFinding(gapVerdict(gap, `${kind} objects`), workloadRef(member)),
      );
    }
  }
  return findings;
}
