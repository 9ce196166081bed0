/**
 * CERT-02: no certificate of the federation (leaf, intermediates, CA) is
 * expired, not yet valid, or within the failure (default 14 days) or warning
 * (30 days) threshold. Offline, cert-manager Certificate specs are checked
 * for a renewal window that keeps certificates out of the failure window.
 */
import type { X509Certificate } from 'node:crypto';
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import { DAY_MS, parseGoDuration } from '../model/durations';
import type { ClusterIndex } from '../model/clusterIndex';
import type { PlannedCertificate } from '../model/planned';
import { tlsSecretUses } from '../model/tls';
import {
  Note,
  Subjects,
  defineRule,
  each,
  objectRef,
  verdict,
  worst,
} from '../ruleKit';
import type { KubeObject, Thresholds } from '../types';
import { NAMED_ITEMS, someOf } from './shared/bounded';
import {
  THE_SECRET,
  TlsSecret,
  certificatesOf,
  materialOf,
  parseErrors,
  tlsSecrets,
} from './shared/tlsSecrets';

const DEFAULT_DURATION_MS = 90 * DAY_MS;

function days(ms: number): string {
  const d = ms / DAY_MS;
  return Number.isInteger(d) ? `${d} days` : `${d.toFixed(1)} days`;
}

/** How long before expiry cert-manager renews (its default: a third of the lifetime). */
function renewBeforeMs(
  planned: PlannedCertificate,
  duration: number,
): number | undefined {
  if (planned.renewBefore !== undefined)
    return parseGoDuration(planned.renewBefore);
  if (planned.renewBeforePercentage !== undefined)
    return (duration * planned.renewBeforePercentage) / 100;
  return duration / 3;
}

/** Lifetime and renewal window of a planned certificate against the thresholds. */
export function checkRenewal(
  planned: PlannedCertificate,
  thresholds: Thresholds,
): Note {
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
  const renewBefore = renewBeforeMs(planned, duration);
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

/** What is wrong with one certificate's validity at `now` (undefined: fine). */
function validityNote(
  cert: X509Certificate,
  label: string,
  now: Date,
  thresholds: Thresholds,
): Note | undefined {
  const left = cert.validToDate.getTime() - now.getTime();
  const d = Math.floor(left / DAY_MS);
  const until = cert.validToDate.toISOString();
  if (now.getTime() < cert.validFromDate.getTime())
    return {
      status: 'fail',
      text: `${label} is not valid before ${cert.validFromDate.toISOString()}`,
    };
  if (left <= 0)
    return { status: 'fail', text: `${label} expired on ${until}` };
  if (d <= thresholds.expiryFailDays)
    return {
      status: 'fail',
      text: `${label} expires in ${d} day(s) (${until})`,
    };
  if (d <= thresholds.expiryWarnDays)
    return { status: 'warn', text: `${label} expires in ${d} days (${until})` };
  return undefined;
}

function checkSecret(secret: TlsSecret, now: Date, thresholds: Thresholds) {
  const material = materialOf(secret);
  const errors = parseErrors(material);
  let status: CheckStatus = errors.length ? 'error' : 'pass';
  const notes: string[] = [...errors];
  let soonest: { label: string; days: number } | undefined;
  for (const { cert, label } of certificatesOf(material)) {
    const note = validityNote(cert, label, now, thresholds);
    if (note) {
      status = worst(status, note.status);
      notes.push(note.text);
    }
    const d = Math.floor((cert.validToDate.getTime() - now.getTime()) / DAY_MS);
    if (!soonest || d < soonest.days) soonest = { label, days: d };
  }
  return verdict(
    status,
    status === 'pass'
      ? `${secret.label}: every certificate is valid for more than ${thresholds.expiryWarnDays} days (soonest: ${soonest?.label} in ${soonest?.days} days).`
      : `${secret.label}: ${someOf(notes, NAMED_ITEMS, '; ')}.`,
  );
}

interface PlannedIssuance {
  index: ClusterIndex;
  planned: PlannedCertificate;
  object: KubeObject;
}

/** What the manifests will issue (Certificates, VaultPKISecrets), once each. */
const plannedIssuances: Subjects<PlannedIssuance> = {
  name: 'planned issuances (manifests)',
  list(federation) {
    const seen = new Set<unknown>();
    const out: PlannedIssuance[] = [];
    for (const use of tlsSecretUses(federation)) {
      const planned = use.planned;
      if (!use.index.offline || !planned?.object || seen.has(planned.object))
        continue;
      seen.add(planned.object);
      out.push({ index: use.index, planned, object: planned.object });
    }
    return out;
  },
  resource: p => objectRef(p.index, p.object),
};

export const cert02Expiry = defineRule({
  id: 'CERT-02',
  checks: [
    each(
      tlsSecrets,
      (secret, { now, thresholds }) => checkSecret(secret, now, thresholds),
      [THE_SECRET],
    ),
    each(plannedIssuances, ({ planned }, { thresholds }) => {
      const check = checkRenewal(planned, thresholds);
      return verdict(check.status, `${planned.label}: ${check.text}.`);
    }),
  ],
});
