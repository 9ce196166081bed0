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
import {
  EKU_ANY,
  EKU_CLIENT_AUTH,
  EKU_SERVER_AUTH,
  extendedKeyUsages,
  verifyChain,
} from '../model/certificates';
import type { TlsMaterial } from '../model/certificates';
import { record, strings } from '../model/objects';
import {
  TlsPurpose,
  TlsSecretUse,
  TrustBundle,
  issuerOf,
  trustBundle,
  tlsSecretUses,
} from '../model/tls';
import {
  Note,
  about,
  combine,
  defineRule,
  each,
  error,
  objectRef,
  perFederation,
  verdict,
  worstOf,
} from '../ruleKit';
import type { Federation } from '../model/federation';
import { label as labelOf } from './shared/describe';
import {
  CertificateSubject,
  firstOf,
  participants,
  plannedCertificates,
} from './shared/subjects';
import {
  THE_SECRET,
  TlsSecret,
  materialOf,
  parseErrors,
  tlsSecrets,
} from './shared/tlsSecrets';

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

function ekuCheck(cert: X509Certificate, oid: string, name: string): Note {
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

/** The participants' trust bundle, described once per evaluation. */
const trustOf = perFederation(federation => {
  const bundle = trustBundle(federation);
  return { bundle, text: describeSources(bundle.sources) };
});

/** What an end-entity certificate must verify to, given what it is used for. */
function anchorsFor(
  use: TlsSecretUse,
  material: TlsMaterial,
  { bundle, text }: { bundle: TrustBundle; text: string },
): { anchors: X509Certificate[]; anchorText: string } {
  if (use.purposes.has('server') && bundle.certs.length === 0)
    return bundle.systemTrust
      ? { anchors: systemTrustStore(), anchorText: 'the system trust store' }
      : { anchors: material.ca, anchorText: 'its own ca.crt' };
  if (!use.purposes.has('server'))
    return {
      anchors: [
        ...bundle.certs,
        ...material.ca,
        ...(use.purposes.has('client') ? [] : systemTrustStore()),
      ],
      anchorText: 'the federation CA, its ca.crt or the system trust store',
    };
  return { anchors: bundle.certs, anchorText: text };
}

function chainNote(
  use: TlsSecretUse,
  material: TlsMaterial,
  trust: { bundle: TrustBundle; text: string },
): Note {
  const { anchors, anchorText } = anchorsFor(use, material, trust);
  if (anchors.length === 0)
    return {
      status: 'fail',
      text: 'no CA to verify against: participants trust no bundle and the Secret has no ca.crt',
    };
  const chain = verifyChain(material.chain, anchors);
  return chain.ok
    ? { status: 'pass', text: `chain verifies to ${anchorText}` }
    : {
        status: 'fail',
        text: `chain does not verify to ${anchorText}: ${chain.reason}`,
      };
}

function checkSecret(secret: TlsSecret, federation: Federation) {
  const material = materialOf(secret);
  const { use } = secret;
  const errors = parseErrors(material);
  if (material.chain.length === 0)
    return error(`${secret.label}: ${errors.join('; ') || 'no certificate'}.`);
  const leaf = material.chain[0];
  const notes: Note[] = errors.map(text => ({ status: 'error', text }));
  if (use.purposes.has('ca'))
    notes.push(
      leaf.ca
        ? { status: 'pass', text: 'CA certificate' }
        : {
            status: 'fail',
            text: 'the CA Secret holds a certificate without basicConstraints CA:TRUE',
          },
    );
  const endEntity = [...use.purposes].filter(p => p !== 'ca');
  if (endEntity.length) {
    notes.push(chainNote(use, material, trustOf(federation)));
    for (const purpose of endEntity) {
      const eku = PURPOSE_EKU[purpose];
      if (eku) notes.push(ekuCheck(leaf, eku[0], eku[1]));
    }
  }
  return combine(
    notes,
    texts => `${secret.label}: ${[...new Set(texts)].join('; ')}.`,
  );
}

/** What each TLS Secret is used for, by cluster/namespace/name. */
const purposesOf = perFederation(federation => {
  const purposes = new Map<string, Set<TlsPurpose>>();
  for (const use of tlsSecretUses(federation))
    purposes.set(
      `${use.index.cluster ?? ''}/${use.namespace}/${use.name}`,
      use.purposes,
    );
  return purposes;
});

function checkSpec(
  { index, certificate }: CertificateSubject,
  federation: Federation,
) {
  const spec = record(certificate.spec);
  const uses =
    purposesOf(federation).get(
      `${index.cluster ?? ''}/${certificate.metadata.namespace ?? 'default'}/${
        spec.secretName
      }`,
    ) ?? new Set();
  const issuer = issuerOf(index, certificate);
  const notes: Note[] = [
    issuer.object
      ? { status: 'pass', text: `issued by ${issuer.kind} ${issuer.name}` }
      : {
          status: 'warn',
          text: `${issuer.kind} ${issuer.name} is not in the manifests`,
        },
  ];
  const usages = strings(spec.usages);
  for (const purpose of uses) {
    const wanted = SPEC_USAGE[purpose];
    if (!wanted) continue;
    if (usages.length === 0)
      notes.push({
        status: 'warn',
        text: `no usages: the certificate will carry no extendedKeyUsage (add "${wanted}")`,
      });
    else if (!usages.includes(wanted))
      notes.push({ status: 'fail', text: `usages lack "${wanted}"` });
  }
  if (uses.has('ca') && spec.isCA !== true)
    notes.push({ status: 'fail', text: 'used as a CA but isCA is not true' });
  // Every note is shown: a spec is judged as a whole.
  return verdict(
    worstOf(notes),
    `${labelOf(certificate)}: ${[...new Set(notes.map(n => n.text))].join(
      '; ',
    )}.`,
  );
}

export const cert06ChainAndUsage = defineRule({
  id: 'CERT-06',
  checks: [
    each(
      tlsSecrets,
      (secret, { federation }) => checkSecret(secret, federation),
      [THE_SECRET],
    ),
    each(firstOf(participants), (participant, { federation }) => {
      const { errors } = trustOf(federation).bundle;
      return errors.length
        ? about(
            objectRef(participant.index, participant.workload.object),
            error(
              `The participants' trust bundle could not be read: ${errors.join(
                '; ',
              )}.`,
            ),
          )
        : [];
    }),
    each(plannedCertificates, (certificate, { federation }) =>
      checkSpec(certificate, federation),
    ),
  ],
});
