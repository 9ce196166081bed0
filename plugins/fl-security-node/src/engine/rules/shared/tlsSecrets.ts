/**
 * The TLS Secrets of a federation as the CERT rules see them: a subject per
 * Secret in use, whose need (the Secret itself) explains why it is missing
 * (reader gap, issued at deploy time, absent), and its parsed material.
 */
import type { X509Certificate } from 'node:crypto';
import type { ResourceRef } from '@fl-security/plugin-fl-security-common';
import { TlsMaterial, oneLine, tlsMaterial } from '../../model/certificates';
import type { Federation } from '../../model/federation';
import { TlsSecretUse, tlsSecretUses } from '../../model/tls';
import {
  DataNeed,
  Subjects,
  error,
  gapVerdict,
  ref,
  skip,
} from '../../ruleKit';
import { someOf } from './bounded';
import { ISSUED_AT_DEPLOY } from './servedCertificate';

export interface TlsSecret {
  use: TlsSecretUse;
  resource: ResourceRef;
  /** `Secret ns/name (purposes; used by ...)`. */
  label: string;
}

export function secretLabel(use: TlsSecretUse): string {
  return `Secret ${use.namespace}/${use.name} (${[...use.purposes].join(
    ', ',
  )}; used by ${someOf(use.users)})`;
}

const cache = new WeakMap<Federation, TlsSecret[]>();

/** The TLS Secrets the federation uses (computed once for all CERT rules). */
export const tlsSecrets: Subjects<TlsSecret> = {
  name: 'TLS Secrets',
  list(federation) {
    let list = cache.get(federation);
    if (!list) {
      list = tlsSecretUses(federation).map(use => ({
        use,
        resource: ref(use.index, 'Secret', use.namespace, use.name),
        label: secretLabel(use),
      }));
      cache.set(federation, list);
    }
    return list;
  },
  resource: s => s.resource,
  place: s => ({ index: s.use.index, namespace: s.use.namespace }),
};

/** The Secret must be in the snapshot; otherwise why it is not. */
export const THE_SECRET: DataNeed<TlsSecret> = {
  kind: 'Secret',
  missing({ use, label }) {
    if (use.secret) return undefined;
    if (use.gap) return gapVerdict(use.gap, label);
    if (use.index.offline && use.planned)
      return skip(`${label}: ${ISSUED_AT_DEPLOY} by ${use.planned.label}.`);
    if (use.index.offline)
      return skip(
        `${label} is not in the manifests and no Certificate issues it.`,
      );
    return error(`${label} does not exist or could not be read.`);
  },
};

/** The parsed Secret (checks run only once THE_SECRET is met). */
export function materialOf({ use, label }: TlsSecret): TlsMaterial {
  if (!use.secret) throw new Error(`${label} is not in the snapshot`);
  return tlsMaterial(use.secret);
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
