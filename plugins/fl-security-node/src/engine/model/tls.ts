/**
 * Where the federation's TLS material lives: the aggregator's serving
 * Secret (from the --ssl-* file paths), Secrets mounted by participants,
 * Ingress and Gateway certificates, cert-manager Certificates writing them and
 * the CA of their Issuers.
 */
import { KUBERNETES_ID_LABEL } from '@fl-security/plugin-fl-security-common';
import type { KubeObject, SnapshotGap } from '../types';
import { configMapValue, secretValue } from './certificates';
import type { ClusterIndex } from './clusterIndex';
import { exposureOf, isPassthroughIngress } from './exposure';
import type { Federation, Member } from './federation';
import { FlowerProcess, flagValue } from './flower';
import { namespaceOf, record, str, strings } from './objects';
import { PlannedCertificate, certificateWriting, plannedFor } from './planned';
import { FileSource, resolveFile, secretNamesOf } from './volumes';

export type TlsPurpose = 'server' | 'client' | 'ingress' | 'gateway' | 'ca';

export interface TlsSecretUse {
  index: ClusterIndex;
  namespace: string;
  name: string;
  /** The Secret, when the snapshot has it. */
  secret?: KubeObject;
  /** The cert-manager Certificate that writes this Secret, if any. */
  certificate?: KubeObject;
  /** Whatever issues this Secret at deploy time (Certificate, VaultPKISecret). */
  planned?: PlannedCertificate;
  /** Why the Secret may be missing from the snapshot (403, CRD...). */
  gap?: SnapshotGap;
  purposes: Set<TlsPurpose>;
  users: string[];
}

export interface ServingTls {
  member: Member;
  process: FlowerProcess;
  cert?: FileSource;
  key?: FileSource;
  ca?: FileSource;
}

export function servingTlsOf(member: Member): ServingTls[] {
  return member.flower
    .filter(p => p.role === 'aggregator')
    .map(process => {
      const resolve = (flag: string) => {
        const path = flagValue(process, flag);
        return path
          ? resolveFile(member.workload, process.container, path)
          : undefined;
      };
      return {
        member,
        process,
        cert: resolve('--ssl-certfile'),
        key: resolve('--ssl-keyfile'),
        ca: resolve('--ssl-ca-certfile'),
      };
    });
}

/** The issuer object a Certificate references, and its CA Secret location. */
export function issuerOf(
  index: ClusterIndex,
  certificate: KubeObject,
): { kind: string; name: string; namespace?: string; object?: KubeObject } {
  const ref = record(record(certificate.spec).issuerRef);
  const kind = str(ref.kind) ?? 'Issuer';
  const name = str(ref.name) ?? '';
  const group = str(ref.group) ?? 'cert-manager.io';
  const namespace = kind === 'Issuer' ? namespaceOf(certificate) : undefined;
  const object =
    group === 'cert-manager.io' ? index.get(kind, namespace, name) : undefined;
  return { kind, name, namespace, object };
}

/** The namespace cert-manager reads ClusterIssuer Secrets from (its default). */
export const CLUSTER_RESOURCE_NAMESPACE = 'cert-manager';

const usesCache = new WeakMap<Federation, TlsSecretUse[]>();

export function tlsSecretUses(federation: Federation): TlsSecretUse[] {
  const cached = usesCache.get(federation);
  if (cached) return cached;
  const uses = new Map<string, TlsSecretUse>();
  const add = (
    index: ClusterIndex,
    namespace: string,
    name: string,
    purpose: TlsPurpose,
    user: string,
  ) => {
    if (!name) return;
    const key = `${index.cluster ?? ''}/${namespace}/${name}`;
    let use = uses.get(key);
    if (!use) {
      const secret = index.get('Secret', namespace, name);
      use = {
        index,
        namespace,
        name,
        secret,
        certificate: certificateWriting(index, namespace, name),
        planned: plannedFor(index, namespace, name),
        gap: secret ? undefined : index.gapFor('Secret', namespace, name),
        purposes: new Set(),
        users: [],
      };
      uses.set(key, use);
    }
    use.purposes.add(purpose);
    if (!use.users.includes(user)) use.users.push(user);
  };

  for (const member of federation.members) {
    const user = `${member.workload.kind} ${member.workload.namespace}/${member.workload.name}`;
    const serving = new Set<string>();
    for (const tls of servingTlsOf(member)) {
      for (const source of [tls.cert, tls.key]) {
        if (source?.kind === 'Secret') {
          add(member.index, source.namespace, source.name, 'server', user);
          serving.add(source.name);
        }
      }
    }
    // Other TLS Secrets mounted by FL pods are client (or sidecar) certificates.
    for (const name of secretNamesOf(member.workload)) {
      if (serving.has(name)) continue;
      const secret = member.index.get(
        'Secret',
        member.workload.namespace,
        name,
      );
      const certificate = certificateWriting(
        member.index,
        member.workload.namespace,
        name,
      );
      const planned = plannedFor(member.index, member.workload.namespace, name);
      const isTls =
        str(secret?.type) === 'kubernetes.io/tls' ||
        (certificate && !record(certificate.spec).isCA) ||
        (planned !== undefined && !certificate);
      if (isTls)
        add(member.index, member.workload.namespace, name, 'client', user);
    }
  }

  const exposure = exposureOf(federation);
  for (const ingress of exposure.ingresses) {
    if (isPassthroughIngress(ingress)) continue;
    for (const tls of ingress.tls) {
      if (tls.secretName) {
        add(
          ingress.index,
          ingress.namespace,
          tls.secretName,
          'ingress',
          `Ingress ${ingress.namespace}/${ingress.name}`,
        );
      }
    }
  }
  for (const route of exposure.routes) {
    for (const listener of route.listeners) {
      if (listener.tlsMode !== 'Terminate') continue;
      for (const ref of listener.certificateRefs) {
        if (ref.kind !== 'Secret') continue;
        add(
          route.index,
          ref.namespace,
          ref.name,
          'gateway',
          `Gateway ${namespaceOf(listener.gateway)}/${
            listener.gateway.metadata.name
          }`,
        );
      }
    }
  }

  // Certificates labelled for the federation, and the CA of every Issuer used.
  const indexes = new Set(federation.members.map(m => m.index));
  for (const index of indexes) {
    for (const certificate of index.ofKind('Certificate')) {
      if (
        certificate.metadata.labels?.[KUBERNETES_ID_LABEL] !== federation.name
      )
        continue;
      const spec = record(certificate.spec);
      const usages = strings(spec.usages);
      const clientOnly =
        usages.includes('client auth') && !usages.includes('server auth');
      let purpose: TlsPurpose = clientOnly ? 'client' : 'server';
      if (spec.isCA === true) purpose = 'ca';
      add(
        index,
        namespaceOf(certificate) ?? 'default',
        str(spec.secretName) ?? '',
        purpose,
        `Certificate ${namespaceOf(certificate)}/${certificate.metadata.name}`,
      );
    }
  }
  for (const use of [...uses.values()]) {
    if (!use.certificate) continue;
    const issuer = issuerOf(use.index, use.certificate);
    const ca = record(record(issuer.object?.spec).ca);
    const caSecret = str(ca.secretName);
    if (caSecret) {
      add(
        use.index,
        issuer.namespace ?? CLUSTER_RESOURCE_NAMESPACE,
        caSecret,
        'ca',
        `${issuer.kind} ${issuer.namespace ? `${issuer.namespace}/` : ''}${
          issuer.name
        }`,
      );
    }
  }

  const list = [...uses.values()];
  usesCache.set(federation, list);
  return list;
}

/** Certificates (cert-manager) of the federation: writers of its Secrets plus labelled ones. */
export function federationCertificates(
  federation: Federation,
): Array<{ index: ClusterIndex; certificate: KubeObject }> {
  const out = new Map<KubeObject, ClusterIndex>();
  for (const use of tlsSecretUses(federation)) {
    if (use.certificate) out.set(use.certificate, use.index);
  }
  return [...out.entries()].map(([certificate, index]) => ({
    index,
    certificate,
  }));
}

/** Reads PEM from a file source; undefined when the object is not in the snapshot. */
export function pemFrom(
  index: ClusterIndex,
  source: FileSource,
): { text?: string; error?: string; missing?: boolean } {
  if (source.kind === 'unmounted') return { error: source.reason };
  if (source.kind === 'VaultAgent') return { missing: true };
  const object = index.get(source.kind, source.namespace, source.name);
  if (!object) return { missing: true };
  if (source.kind === 'ConfigMap') {
    const text = configMapValue(object, source.key);
    return text === undefined
      ? {
          error: `ConfigMap ${source.namespace}/${source.name} has no key ${source.key}`,
        }
      : { text };
  }
  const value = secretValue(object, source.key);
  if (!value)
    return {
      error: `Secret ${source.namespace}/${source.name} has no key ${source.key}`,
    };
  return value.ok ? { text: value.text } : { error: value.error };
}

export { certificateWriting };
