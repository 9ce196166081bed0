/**
 * CERT-01: cert-manager Certificates of the federation are Ready and their
 * status.notAfter is in the future (Ready=True alone is not proof).
 * Offline there is no status: skip.
 */
import { ISSUED_AT_DEPLOY } from './servedCertificate';
import { record, records, str } from '../model/objects';
import { federationCertificates } from '../model/tls';
import { finding, gapFinding, objectRef, workloadRef } from './helpers';
import type { Finding, Rule } from './types';

export const cert01Ready: Rule = {
  id: 'CERT-01',
  evaluate({ federation, now }) {
    const findings: Finding[] = [];
    const certificates = federationCertificates(federation);
    if (certificates.length === 0) {
      for (const member of federation.aggregators) {
        const gap = member.index.gapFor(
          'Certificate',
          member.workload.namespace,
        );
        findings.push(
          gap
            ? gapFinding(gap, workloadRef(member), 'cert-manager Certificates')
            : finding(
                'skip',
                workloadRef(member),
                'The federation uses no cert-manager Certificate.',
              ),
        );
      }
      return findings;
    }
    for (const { index, certificate } of certificates) {
      const resource = objectRef(index, certificate);
      const label = `Certificate ${
        certificate.metadata.namespace ?? 'default'
      }/${certificate.metadata.name}`;
      const status = record(certificate.status);
      const conditions = records(status.conditions);
      if (index.offline && conditions.length === 0) {
        findings.push(
          finding(
            'skip',
            resource,
            `${label}: no status in the manifests (${ISSUED_AT_DEPLOY}).`,
          ),
        );
        continue;
      }
      const ready = conditions.find(c => c.type === 'Ready');
      const issuing = conditions.find(c => c.type === 'Issuing');
      const notAfterText = str(status.notAfter);
      const notAfter = notAfterText ? new Date(notAfterText) : undefined;
      const reason = (c?: Record<string, unknown>) =>
        c
          ? `${str(c.reason) ?? 'no reason'}${
              str(c.message) ? `: ${str(c.message)}` : ''
            }`
          : 'no condition';
      if (!ready) {
        findings.push(
          finding(
            'warn',
            resource,
            `${label} has no Ready condition yet (not processed by cert-manager).`,
          ),
        );
      } else if (ready.status === 'True') {
        if (!notAfter || Number.isNaN(notAfter.getTime())) {
          findings.push(
            finding(
              'warn',
              resource,
              `${label} is Ready but reports no status.notAfter: expiry cannot be confirmed.`,
            ),
          );
        } else if (notAfter.getTime() <= now.getTime()) {
          findings.push(
            finding(
              'fail',
              resource,
              `${label} is Ready but its certificate expired at ${notAfter.toISOString()} (renewal is failing).`,
            ),
          );
        } else {
          findings.push(
            finding(
              'pass',
              resource,
              `${label} is Ready, valid until ${notAfter.toISOString()}.`,
            ),
          );
        }
      } else if (issuing?.status === 'True') {
        findings.push(
          finding(
            'warn',
            resource,
            `${label} is being issued (${reason(issuing)}).`,
          ),
        );
      } else {
        findings.push(
          finding(
            'fail',
            resource,
            `${label} is not Ready (${reason(ready)}).`,
          ),
        );
      }
    }
    return findings;
  },
};
