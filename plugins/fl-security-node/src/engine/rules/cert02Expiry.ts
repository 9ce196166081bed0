/**
 * CERT-02: no certificate of the federation (leaf, intermediates, CA) is
 * expired, not yet valid, or within the failure (default 14 days) or warning
 * (30 days) threshold. Offline, cert-manager Certificate specs are checked
 * for a renewal window that keeps certificates out of the failure window.
 */
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import { DAY_MS, parseGoDuration } from '../model/durations';
import type { PlannedCertificate } from '../model/planned';
import { tlsSecretUses } from '../model/tls';
import type { Thresholds } from '../types';
import { certificatesOf, parseErrors, secretStates } from './certCommon';
import { finding, objectRef, worst } from './helpers';
import type { Finding, Rule } from './types';

const DEFAULT_DURATION_MS = 90 * DAY_MS;

function days(ms: number): string {
  const d = ms / DAY_MS;
  return Number.isInteger(d) ? `${d} days` : `${d.toFixed(1)} days`;
}

/** Lifetime and renewal window of a planned certificate against the thresholds. */
export function checkRenewal(
  planned: PlannedCertificate,
  thresholds: Thresholds,
): { status: CheckStatus; text: string } {
  if (planned.duration === undefined && planned.defaults === 'issuer') {
    return {
      status: 'skip',
      text: 'lifetime is set by the issuer (not in the manifests)',
    };
  }
  const duration =
    planned.duration === undefined
      ? DEFAULT_DURATION_MS
      : parseGoDuration(planned.duration);
  if (duration === undefined)
    return {
      status: 'error',
      text: `duration ${JSON.stringify(planned.duration)} is not a Go duration`,
    };
  let renewBefore: number | undefined;
  if (planned.renewBefore !== undefined)
    renewBefore = parseGoDuration(planned.renewBefore);
  else if (planned.renewBeforePercentage !== undefined)
    renewBefore = (duration * planned.renewBeforePercentage) / 100;
  else renewBefore = duration / 3;
  if (renewBefore === undefined)
    return {
      status: 'error',
      text: `renewBefore ${JSON.stringify(
        planned.renewBefore,
      )} is not a Go duration`,
    };
  if (duration < 3_600_000)
    return {
      status: 'fail',
      text: `duration ${days(duration)} is below the 1h minimum`,
    };
  if (renewBefore >= duration) {
    return {
      status: 'fail',
      text: `renewal (${days(
        renewBefore,
      )} before expiry) is not shorter than the lifetime (${days(duration)})`,
    };
  }
  const failMs = thresholds.expiryFailDays * DAY_MS;
  if (renewBefore <= failMs) {
    return {
      status: 'warn',
      text: `renews ${days(renewBefore)} before expiry, inside the ${
        thresholds.expiryFailDays
      }-day failure threshold (lifetime ${days(duration)})`,
    };
  }
  return {
    status: 'pass',
    text: `lifetime ${days(duration)}, renewed ${days(
      renewBefore,
    )} before expiry`,
  };
}

export const cert02Expiry: Rule = {
  id: 'CERT-02',
  evaluate({ federation, now, thresholds }) {
    const findings: Finding[] = [];
    for (const state of secretStates(federation)) {
      if (!state.present) {
        findings.push(state.finding);
        continue;
      }
      const errors = parseErrors(state.material);
      let status: CheckStatus = errors.length ? 'error' : 'pass';
      const notes: string[] = [...errors];
      let soonest: { label: string; days: number } | undefined;
      for (const { cert, label } of certificatesOf(state.material)) {
        const from = cert.validFromDate.getTime();
        const left = cert.validToDate.getTime() - now.getTime();
        const d = Math.floor(left / DAY_MS);
        if (now.getTime() < from) {
          status = worst(status, 'fail');
          notes.push(
            `${label} is not valid before ${cert.validFromDate.toISOString()}`,
          );
        } else if (left <= 0) {
          status = worst(status, 'fail');
          notes.push(`${label} expired on ${cert.validToDate.toISOString()}`);
        } else if (d <= thresholds.expiryFailDays) {
          status = worst(status, 'fail');
          notes.push(
            `${label} expires in ${d} day(s) (${cert.validToDate.toISOString()})`,
          );
        } else if (d <= thresholds.expiryWarnDays) {
          status = worst(status, 'warn');
          notes.push(
            `${label} expires in ${d} days (${cert.validToDate.toISOString()})`,
          );
        }
        if (!soonest || d < soonest.days) soonest = { label, days: d };
      }
      findings.push(
        finding(
          status,
          state.resource,
          status === 'pass'
            ? `${state.label}: every certificate is valid for more than ${thresholds.expiryWarnDays} days (soonest: ${soonest?.label} in ${soonest?.days} days).`
            : `${state.label}: ${notes.join('; ')}.`,
        ),
      );
    }
    const seen = new Set<unknown>();
    for (const use of tlsSecretUses(federation)) {
      const planned = use.planned;
      if (!use.index.offline || !planned?.object || seen.has(planned.object))
        continue;
      seen.add(planned.object);
      const check = checkRenewal(planned, thresholds);
      findings.push(
        finding(
          check.status,
          objectRef(use.index, planned.object),
          `${planned.label}: ${check.text}.`,
        ),
      );
    }
    return findings;
  },
};
