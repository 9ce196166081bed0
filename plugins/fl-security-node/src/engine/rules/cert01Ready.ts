/**
 * CERT-01: cert-manager Certificates of the federation are Ready and their
 * status.notAfter is in the future (Ready=True alone is not proof).
 * Offline there is no status: skip.
 */
import { record, records, str } from '../model/objects';
import { defineRule, each, fail, pass, skip, warn } from '../ruleKit';
import { label as labelOf } from './shared/describe';
import { inNamespace } from './shared/needs';
import { ISSUED_AT_DEPLOY } from './shared/servedCertificate';
import {
  CertificateSubject,
  aggregators,
  certManagerCertificates,
} from './shared/subjects';

type Condition = Record<string, unknown>;

function reason(c?: Condition): string {
  return c
    ? `${str(c.reason) ?? 'no reason'}${
        str(c.message) ? `: ${str(c.message)}` : ''
      }`
    : 'no condition';
}

function checkReady(
  label: string,
  notAfterText: string | undefined,
  now: Date,
) {
  const notAfter = notAfterText ? new Date(notAfterText) : undefined;
  if (!notAfter || Number.isNaN(notAfter.getTime()))
    return warn(
      `${label} is Ready but reports no status.notAfter: expiry cannot be confirmed.`,
    );
  if (notAfter.getTime() <= now.getTime())
    return fail(
      `${label} is Ready but its certificate expired at ${notAfter.toISOString()} (renewal is failing).`,
    );
  return pass(`${label} is Ready, valid until ${notAfter.toISOString()}.`);
}

function checkCertificate(
  { index, certificate }: CertificateSubject,
  now: Date,
) {
  const label = labelOf(certificate);
  const status = record(certificate.status);
  const conditions = records(status.conditions);
  if (index.offline && conditions.length === 0)
    return skip(`${label}: no status in the manifests (${ISSUED_AT_DEPLOY}).`);
  const ready = conditions.find(c => c.type === 'Ready');
  const issuing = conditions.find(c => c.type === 'Issuing');
  if (!ready)
    return warn(
      `${label} has no Ready condition yet (not processed by cert-manager).`,
    );
  if (ready.status === 'True')
    return checkReady(label, str(status.notAfter), now);
  if (issuing?.status === 'True')
    return warn(`${label} is being issued (${reason(issuing)}).`);
  return fail(`${label} is not Ready (${reason(ready)}).`);
}

export const cert01Ready = defineRule({
  id: 'CERT-01',
  checks: [
    each(certManagerCertificates, (c, { now }) => checkCertificate(c, now)),
  ],
  otherwise: each(
    aggregators,
    () => skip('The federation uses no cert-manager Certificate.'),
    [inNamespace('Certificate', () => 'cert-manager Certificates')],
  ),
});
