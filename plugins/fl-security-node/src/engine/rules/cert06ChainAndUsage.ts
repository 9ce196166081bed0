/**
 * CERT-06: the aggregator certificate chain verifies to the CA the
 * participants trust (their --root-certificates bundle, the federation CA
 * Issuer; the system store when they use it), server certificates carry
 * serverAuth and client certificates clientAuth; CA Secrets hold CA
 * certificates. Offline, Certificate specs are checked for usages and an
 * issuer that exists.
 */
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';
import {
  EKU_ANY,
  EKU_CLIENT_AUTH,
  EKU_SERVER_AUTH,
  extendedKeyUsages,
  verifyChain,
} from '../model/certificates';
import { record, strings } from '../model/objects';
import {
  TlsPurpose,
  federationCertificates,
  issuerOf,
  trustBundle,
  tlsSecretUses,
} from '../model/tls';
import { parseErrors, secretStates } from './certCommon';
import { finding, objectRef, worst } from './helpers';
import type { Finding, Rule } from './types';

let systemRoots: X509Certificate[] | undefined;

/** Node's bundled Mozilla roots (static data, no I/O). */
function systemTrustStore(): X509Certificate[] {
  systemRoots ??= rootCertificates.flatMap(pem => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  return systemRoots;
}

function ekuCheck(
  cert: X509Certificate,
  oid: string,
  name: string,
): { status: CheckStatus; text: string } {
  const usages = extendedKeyUsages(cert);
  if (!usages)
    return {
      status: 'warn',
      text: `no extendedKeyUsage extension (any usage accepted; prefer an explicit ${name})`,
    };
  if (usages.includes(oid) || usages.includes(EKU_ANY))
    return { status: 'pass', text: name };
  return {
    status: 'fail',
    text: `extendedKeyUsage lacks ${name} (${usages.join(', ')})`,
  };
}

const PURPOSE_EKU: Partial<Record<TlsPurpose, [string, string]>> = {
  server: [EKU_SERVER_AUTH, 'serverAuth'],
  ingress: [EKU_SERVER_AUTH, 'serverAuth'],
  gateway: [EKU_SERVER_AUTH, 'serverAuth'],
  client: [EKU_CLIENT_AUTH, 'clientAuth'],
};

const SPEC_USAGE: Partial<Record<TlsPurpose, string>> = {
  server: 'server auth',
  ingress: 'server auth',
  gateway: 'server auth',
  client: 'client auth',
};

/**
 * Where the participants' trust comes from, for messages: every participant
 * names its own bundle, so a large federation lists a few and counts the rest
 * (once per evaluation, not once per Secret).
 */
function describeSources(sources: readonly string[]): string {
  const unique = [...new Set(sources)];
  const shown = unique.slice(0, 3).join(', ');
  return unique.length > 3 ? `${shown} and ${unique.length - 3} more` : shown;
}

export const cert06ChainAndUsage: Rule = {
  id: 'CERT-06',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    const bundle = trustBundle(federation);
    const bundleText = describeSources(bundle.sources);
    for (const state of secretStates(federation)) {
      if (!state.present) {
        findings.push(state.finding);
        continue;
      }
      const { material, use } = state;
      const errors = parseErrors(material);
      if (material.chain.length === 0) {
        findings.push(
          finding(
            'error',
            state.resource,
            `${state.label}: ${errors.join('; ') || 'no certificate'}.`,
          ),
        );
        continue;
      }
      const leaf = material.chain[0];
      const checks: Array<{ status: CheckStatus; text: string }> = errors.map(
        e => ({ status: 'error', text: e }),
      );
      if (use.purposes.has('ca')) {
        checks.push(
          leaf.ca
            ? { status: 'pass', text: 'CA certificate' }
            : {
                status: 'fail',
                text: 'the CA Secret holds a certificate without basicConstraints CA:TRUE',
              },
        );
      }
      const endEntity = [...use.purposes].filter(p => p !== 'ca');
      if (endEntity.length) {
        let anchors = bundle.certs;
        let anchorText = bundleText;
        if (use.purposes.has('server') && bundle.certs.length === 0) {
          anchors = bundle.systemTrust ? systemTrustStore() : material.ca;
          anchorText = bundle.systemTrust
            ? 'the system trust store'
            : `its own ca.crt`;
        } else if (!use.purposes.has('server')) {
          anchors = [
            ...bundle.certs,
            ...material.ca,
            ...(use.purposes.has('client') ? [] : systemTrustStore()),
          ];
          anchorText =
            'the federation CA, its ca.crt or the system trust store';
        }
        if (anchors.length === 0) {
          checks.push({
            status: 'fail',
            text: 'no CA to verify against: participants trust no bundle and the Secret has no ca.crt',
          });
        } else {
          const chain = verifyChain(material.chain, anchors);
          checks.push(
            chain.ok
              ? { status: 'pass', text: `chain verifies to ${anchorText}` }
              : {
                  status: 'fail',
                  text: `chain does not verify to ${anchorText}: ${chain.reason}`,
                },
          );
        }
        for (const purpose of endEntity) {
          const eku = PURPOSE_EKU[purpose];
          if (eku) checks.push(ekuCheck(leaf, eku[0], eku[1]));
        }
      }
      const status = checks
        .map(c => c.status)
        .reduce(worst, 'pass' as CheckStatus);
      const shown =
        status === 'pass' ? checks : checks.filter(c => c.status !== 'pass');
      findings.push(
        finding(
          status,
          state.resource,
          `${state.label}: ${[...new Set(shown.map(c => c.text))].join('; ')}.`,
        ),
      );
    }
    if (bundle.errors.length) {
      for (const participant of federation.participants.slice(0, 1)) {
        findings.push(
          finding(
            'error',
            objectRef(participant.index, participant.workload.object),
            `The participants' trust bundle could not be read: ${bundle.errors.join(
              '; ',
            )}.`,
          ),
        );
      }
    }
    const purposes = new Map<string, Set<TlsPurpose>>();
    for (const use of tlsSecretUses(federation))
      purposes.set(
        `${use.index.cluster ?? ''}/${use.namespace}/${use.name}`,
        use.purposes,
      );
    for (const { index, certificate } of federationCertificates(federation)) {
      if (!index.offline) continue;
      const spec = record(certificate.spec);
      const label = `Certificate ${
        certificate.metadata.namespace ?? 'default'
      }/${certificate.metadata.name}`;
      const uses =
        purposes.get(
          `${index.cluster ?? ''}/${
            certificate.metadata.namespace ?? 'default'
          }/${spec.secretName}`,
        ) ?? new Set();
      const checks: Array<{ status: CheckStatus; text: string }> = [];
      const issuer = issuerOf(index, certificate);
      if (!issuer.object) {
        checks.push({
          status: 'warn',
          text: `${issuer.kind} ${issuer.name} is not in the manifests`,
        });
      } else {
        checks.push({
          status: 'pass',
          text: `issued by ${issuer.kind} ${issuer.name}`,
        });
      }
      const usages = strings(spec.usages);
      for (const purpose of uses) {
        const wanted = SPEC_USAGE[purpose];
        if (!wanted) continue;
        if (usages.length === 0)
          checks.push({
            status: 'warn',
            text: `no usages: the certificate will carry no extendedKeyUsage (add "${wanted}")`,
          });
        else if (!usages.includes(wanted))
          checks.push({ status: 'fail', text: `usages lack "${wanted}"` });
      }
      if (uses.has('ca') && spec.isCA !== true)
        checks.push({
          status: 'fail',
          text: 'used as a CA but isCA is not true',
        });
      const status = checks
        .map(c => c.status)
        .reduce(worst, 'pass' as CheckStatus);
      findings.push(
        finding(
          status,
          objectRef(index, certificate),
          `${label}: ${[...new Set(checks.map(c => c.text))].join('; ')}.`,
        ),
      );
    }
    return findings;
  },
};
