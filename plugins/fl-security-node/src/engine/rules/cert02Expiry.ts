/**
 * CERT-02: no certificate of the federation (leaf, intermediates, CA) is
 * expired, not yet valid, or within the failure (default 14 days) or warning
 * (30 days) threshold. Offline, cert-manager Certificate specs are checked
 * for a renewal window that keeps certificates out of the failure window.
 */
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import { DAY_MS, parseGoDuration } from '../model/durations';
import { num, record, str } from '../model/objects';
import { federationCertificates } from '../model/tls';
import type { KubeObject, Thresholds } from '../types';
import { certificatesOf, parseErrors, secretStates } from './certCommon';
import { finding, objectRef, worst } from './helpers';
import type { Finding, Rule } from './types';

const DEFAULT_DURATION_MS = 90 * DAY_MS;

function days(ms: number): string {
  const d = ms / DAY_MS;
  return Number.isInteger(d) ? `${d} days` : `${d.toFixed(1)} days`;
}

/** Renewal settings of a Certificate spec against the thresholds. */
export function checkRenewal(certificate: KubeObject, thresholds: Thresholds): { status: CheckStatus; text: string } {
  const spec = record(certificate.spec);
  const durationText = str(spec.duration);
  const duration = durationText === undefined ? DEFAULT_DURATION_MS : parseGoDuration(durationText);
  if (duration === undefined) return { status: 'error', text: `duration ${JSON.stringify(durationText)} is not a Go duration` };
  const renewText = str(spec.renewBefore);
  const percentage = num(spec.renewBeforePercentage);
  let renewBefore: number | undefined;
  if (renewText !== undefined) renewBefore = parseGoDuration(renewText);
  else if (percentage !== undefined) renewBefore = (duration * percentage) / 100;
  else renewBefore = duration / 3;
  if (renewBefore === undefined) return { status: 'error', text: `renewBefore ${JSON.stringify(renewText)} is not a Go duration` };
  if (duration < 3_600_000) return { status: 'fail', text: `duration ${days(duration)} is below cert-manager's 1h minimum` };
  if (renewBefore >= duration) {
    return { status: 'fail', text: `renewBefore (${days(renewBefore)}) is not shorter than the duration (${days(duration)}): cert-manager rejects it` };
  }
  const failMs = thresholds.expiryFailDays * DAY_MS;
  if (renewBefore <= failMs) {
    return {
      status: 'warn',
      text: `renews ${days(renewBefore)} before expiry, inside the ${thresholds.expiryFailDays}-day failure threshold (duration ${days(duration)})`,
    };
  }
  return { status: 'pass', text: `duration ${days(duration)}, renewed ${days(renewBefore)} before expiry` };
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
          notes.push(`${label} is not valid before ${cert.validFromDate.toISOString()}`);
        } else if (left <= 0) {
          status = worst(status, 'fail');
          notes.push(`${label} expired on ${cert.validToDate.toISOString()}`);
        } else if (d <= thresholds.expiryFailDays) {
          status = worst(status, 'fail');
          notes.push(`${label} expires in ${d} day(s) (${cert.validToDate.toISOString()})`);
        } else if (d <= thresholds.expiryWarnDays) {
          status = worst(status, 'warn');
          notes.push(`${label} expires in ${d} days (${cert.validToDate.toISOString()})`);
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
    for (const { index, certificate } of federationCertificates(federation)) {
      if (!index.offline) continue;
      const check = checkRenewal(certificate, thresholds);
      findings.push(
        finding(check.status, objectRef(index, certificate), `Certificate ${certificate.metadata.namespace ?? 'default'}/${certificate.metadata.name}: ${check.text}.`),
      );
    }
    return findings;
  },
};
