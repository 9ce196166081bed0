/**
 * One x509-limbo case as a federation: the aggregator serves the case's peer
 * certificate and untrusted intermediates as its tls.crt (in the case's
 * order), every participant trusts the case's trusted certificates through
 * its --root-certificates bundle and dials the case's expected peer name,
 * and the scan's clock is the case's validation time. For tests only.
 */
import type { ComplianceReport } from '@fl-security/plugin-fl-security-common';
import { DEFAULT_MAX_INTERMEDIATES, ipBytes } from '../x509';
import {
  Exclusion,
  LIMBO_DEFAULT_TIME,
  LimboCase,
} from '../x509/__testUtils__/limbo';
import { AGG_NS, evaluate, secureFederation, without } from './builders';
import { withSuperlinkAddress, withTrust } from './trust';

export function limboFederation(c: LimboCase) {
  // Only the dialled name is required: no passthrough host, no Service names.
  let objects = without(secureFederation(), 'Ingress', AGG_NS, 'superlink');
  objects = without(objects, 'Service', AGG_NS, 'superlink');
  objects = withTrust(objects, {
    served: [c.peer_certificate, ...c.untrusted_intermediates],
    participantsTrust: c.trusted_certs,
  });
  const name = c.expected_peer_name?.value;
  if (name !== undefined)
    objects = withSuperlinkAddress(
      objects,
      ipBytes(name) && name.includes(':') ? `[${name}]:9092` : `${name}:9092`,
    );
  return objects;
}

export type RuleVerdict = 'SUCCESS' | 'FAILURE' | 'UNDECIDED';

/**
 * What the rules say a TLS client does with the case: SUCCESS when CERT-06
 * (and CERT-05, when a name is dialled) pass or only warn, FAILURE when
 * either fails; anything else (error, skip) decides nothing.
 */
export function limboVerdict(c: LimboCase): {
  verdict: RuleVerdict;
  report: ComplianceReport;
  messages: string[];
} {
  const report = evaluate(limboFederation(c), {
    now: c.validation_time ? new Date(c.validation_time) : LIMBO_DEFAULT_TIME,
  });
  const relevant = report.results.filter(
    r =>
      (r.ruleId === 'CERT-06' &&
        r.resource.kind === 'Secret' &&
        r.resource.name === 'superlink-tls') ||
      (r.ruleId === 'CERT-05' && c.expected_peer_name !== null),
  );
  const statuses = relevant.map(r => r.status);
  let verdict: RuleVerdict = 'UNDECIDED';
  if (statuses.includes('fail')) verdict = 'FAILURE';
  else if (
    statuses.length > 0 &&
    statuses.every(s => s === 'pass' || s === 'warn')
  )
    verdict = 'SUCCESS';
  return {
    verdict,
    report,
    messages: relevant.map(r => `${r.ruleId} ${r.status}: ${r.message}`),
  };
}

/**
 * In the validator's scope (x509/__testUtils__/limbo.ts) but not the
 * rules': what a participant cannot configure, or what CERT-06 reports as
 * "could not evaluate" (skip, never pass) where limbo expects FAILURE.
 */
export const RULE_EXCLUSIONS: Array<
  Exclusion & { applies(c: LimboCase): boolean }
> = [
  {
    match: 'max_chain_depth below the default',
    reason: `a verifier's maximum chain depth: no Flower flag sets one (gRPC uses OpenSSL's default), so the rules validate with ${DEFAULT_MAX_INTERMEDIATES} intermediates; limbo.test.ts runs these cases with the depth they ask for`,
    applies: c =>
      c.max_chain_depth !== null &&
      c.max_chain_depth < DEFAULT_MAX_INTERMEDIATES,
  },
  {
    match: 'rfc5280::nc::nc-forbids-othername',
    reason:
      "otherName name constraints are not evaluated: CERT-06 says skip (could not evaluate), never pass; limbo.test.ts counts the validator's not-ok as its FAILURE",
    applies: c => c.id === 'rfc5280::nc::nc-forbids-othername',
  },
];

export function ruleExclusionOf(c: LimboCase) {
  return RULE_EXCLUSIONS.find(e => e.applies(c));
}
