import {
  ComplianceReport,
  overallStatus,
  ResourceRef,
  ruleResultKey,
  summarize,
} from '@fl-security/plugin-fl-security-common';

/** The certificate-expiry rule: warn and fail thresholds of its own. */
export const EXPIRY_RULE = 'CERT-02';

export type FederationVerdict = 'passing' | 'failing';
export type ExpiryLevel = 'ok' | 'warn' | 'fail';

/**
 * What the owner was last told about an entity: the federation's verdict
 * and each certificate's expiry level. Stored per entity; a transition is
 * a change of it, so a scan that changes nothing tells nobody anything.
 */
export interface NotifiedState {
  federation?: FederationVerdict;
  /** By the expiry result's key (rule and Secret). */
  certificates: Record<string, { level: ExpiryLevel; resource: ResourceRef }>;
}

export type Transition =
  | {
      kind: 'federation-failing';
      /** Rules failing now, in report order, each once. */
      rules: string[];
      failCount: number;
    }
  | { kind: 'federation-recovered' }
  | {
      kind: 'certificate-warn' | 'certificate-fail' | 'certificate-recovered';
      resource: ResourceRef;
      /** The expiry rule's message (subject, days left). */
      message: string;
    };

export interface TransitionOptions {
  federation: boolean;
  certificates: boolean;
}

const LEVEL_RANK: Record<ExpiryLevel, number> = { ok: 0, warn: 1, fail: 2 };

/**
 * The verdict without the expiry rule: certificates have their own
 * transitions, so an expiring certificate is told once, as such.
 */
function verdictOf(report: ComplianceReport): FederationVerdict | undefined {
  const others = report.results.filter(r => r.ruleId !== EXPIRY_RULE);
  switch (overallStatus(summarize(others), report.errors.length)) {
    case 'violations':
      return 'failing';
    case 'compliant':
    case 'warnings':
      return 'passing';
    default:
      // Could not tell (errors, nothing read): no news either way.
      return undefined;
  }
}

function levelOf(status: string): ExpiryLevel | undefined {
  if (status === 'pass') return 'ok';
  if (status === 'warn') return 'warn';
  if (status === 'fail') return 'fail';
  return undefined;
}

/**
 * The state after `report` and the transitions since `previous`. Without a
 * previous state the report sets the baseline silently (an entity seen for
 * the first time has not *gone* anywhere). A certificate first seen in a
 * later scan counts as having been fine. A verdict or level that could not
 * be evaluated keeps the previous one; so does a certificate missing from
 * a report that could not read everything.
 */
export function nextState(
  previous: NotifiedState | undefined,
  report: ComplianceReport,
  options: TransitionOptions,
): { state: NotifiedState; transitions: Transition[] } {
  const transitions: Transition[] = [];
  const verdict = verdictOf(report) ?? previous?.federation;
  if (previous && options.federation && verdict !== previous.federation) {
    if (verdict === 'failing' && previous.federation === 'passing') {
      const failing = report.results.filter(
        r => r.status === 'fail' && r.ruleId !== EXPIRY_RULE,
      );
      transitions.push({
        kind: 'federation-failing',
        rules: [...new Set(failing.map(r => r.ruleId))],
        failCount: failing.length,
      });
    } else if (verdict === 'passing' && previous.federation === 'failing') {
      transitions.push({ kind: 'federation-recovered' });
    }
  }

  const complete = report.errors.length === 0;
  const certificates: NotifiedState['certificates'] = complete
    ? {}
    : { ...(previous?.certificates ?? {}) };
  for (const result of report.results) {
    if (result.ruleId !== EXPIRY_RULE) continue;
    const key = ruleResultKey(result);
    const known = previous?.certificates[key];
    const level = levelOf(result.status) ?? known?.level;
    if (!level) continue;
    certificates[key] = { level, resource: result.resource };
    if (!previous || !options.certificates) continue;
    const before = known?.level ?? 'ok';
    if (LEVEL_RANK[level] > LEVEL_RANK[before]) {
      transitions.push({
        kind: level === 'fail' ? 'certificate-fail' : 'certificate-warn',
        resource: result.resource,
        message: result.message,
      });
    } else if (level === 'ok' && before !== 'ok') {
      transitions.push({
        kind: 'certificate-recovered',
        resource: result.resource,
        message: result.message,
      });
    }
  }
  return {
    state: {
      ...(verdict ? { federation: verdict } : {}),
      certificates,
    },
    transitions,
  };
}
