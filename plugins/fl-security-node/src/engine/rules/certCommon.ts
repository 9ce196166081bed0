/**
 * The TLS Secrets of a federation as the CERT rules see them: parsed
 * material when the snapshot has the Secret, otherwise the reason it is
 * missing (gap, issued at deploy time, absent).
 */
import type { X509Certificate } from 'node:crypto';
import type { ResourceRef } from '@fl-security/plugin-fl-security-common';
import { TlsMaterial, oneLine, tlsMaterial } from '../model/certificates';
import type { Federation } from '../model/federation';
import { TlsSecretUse, tlsSecretUses } from '../model/tls';
import { finding, gapFinding, ref } from './helpers';
import { ISSUED_AT_DEPLOY } from './servedCertificate';
import type { Finding } from './types';

export type SecretState =
  | {
      present: true;
      use: TlsSecretUse;
      material: TlsMaterial;
      resource: ResourceRef;
      label: string;
    }
  | { present: false; use: TlsSecretUse; finding: Finding };

export function secretLabel(use: TlsSecretUse): string {
  return `Secret ${use.namespace}/${use.name} (${[...use.purposes].join(
    ', ',
  )}; used by ${use.users.join(', ')})`;
}

const statesCache = new WeakMap<Federation, SecretState[]>();

/** The TLS Secrets of the federation, computed once for the five CERT rules. */
export function secretStates(federation: Federation): SecretState[] {
  const cached = statesCache.get(federation);
  if (cached) return cached;
  const states = computeStates(federation);
  statesCache.set(federation, states);
  return states;
}

function computeStates(federation: Federation): SecretState[] {
  return tlsSecretUses(federation).map(use => {
    const resource = ref(use.index, 'Secret', use.namespace, use.name);
    const label = secretLabel(use);
    if (use.secret)
      return {
        present: true,
        use,
        material: tlsMaterial(use.secret),
        resource,
        label,
      };
    if (use.gap)
      return {
        present: false,
        use,
        finding: gapFinding(use.gap, resource, label),
      };
    if (use.index.offline && use.planned) {
      return {
        present: false,
        use,
        finding: finding(
          'skip',
          resource,
          `${label}: ${ISSUED_AT_DEPLOY} by ${use.planned.label}.`,
        ),
      };
    }
    if (use.index.offline) {
      return {
        present: false,
        use,
        finding: finding(
          'skip',
          resource,
          `${label} is not in the manifests and no Certificate issues it.`,
        ),
      };
    }
    return {
      present: false,
      use,
      finding: finding(
        'error',
        resource,
        `${label} does not exist or could not be read.`,
      ),
    };
  });
}

/** Every certificate of a Secret, labelled by position: tls.crt[0] is the leaf. */
export function certificatesOf(
  material: TlsMaterial,
): Array<{ cert: X509Certificate; label: string; fromCa: boolean }> {
  return [
    ...material.chain.map((cert, i) => ({
      cert,
      label: `tls.crt[${i}] (${oneLine(cert.subject)})`,
      fromCa: false,
    })),
    ...material.ca.map((cert, i) => ({
      cert,
      label: `ca.crt[${i}] (${oneLine(cert.subject)})`,
      fromCa: true,
    })),
  ];
}

/** Parse errors of a Secret: the CERT rules report them as `error`, never crash. */
export function parseErrors(material: TlsMaterial): string[] {
  return [material.chainError, material.caError].filter((e): e is string =>
    Boolean(e),
  );
}
