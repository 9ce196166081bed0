/**
 * Reference following: the objects the listed ones point at by name
 * (Gateways of TLSRoutes, TLS Secrets, ConfigMaps, ClusterIssuers), and the
 * CA key Secrets that are deliberately not read.
 */
import { KubeObject, SnapshotGap } from './engineTypes';
import {
  CLUSTER_ISSUER,
  CONFIG_MAP,
  LISTED_KINDS,
  ResourceKind,
  SECRET,
} from './resourceKinds';
import { forEachLimit } from './limit';
import { workloadReferences } from './workloadReferences';

/** An object named by another one. */
export interface ObjectRef {
  namespace: string;
  name: string;
}

/** cert-manager's default --cluster-resource-namespace (ClusterIssuer Secrets). */
const CLUSTER_RESOURCE_NAMESPACE = 'cert-manager';

export const GATEWAY = LISTED_KINDS.find(k => k.kind === 'Gateway')!;

/** Read access to what has been read so far. */
export interface ReadObjects {
  ofKind(kind: string): KubeObject[];
  all(): KubeObject[];
  has(kind: string, namespace: string | undefined, name: string): boolean;
}

function refSet() {
  const refs = new Map<string, ObjectRef>();
  return {
    add(namespace: string | undefined, name: unknown) {
      if (!namespace || typeof name !== 'string' || !name) return;
      refs.set(`${namespace}/${name}`, { namespace, name });
    },
    values: () => [...refs.values()],
  };
}

/** Gateways that TLSRoutes attach to (possibly in other namespaces). */
export function gatewayRefs(objects: ReadObjects): ObjectRef[] {
  const refs = refSet();
  for (const route of objects.ofKind('TLSRoute')) {
    const parents: any[] = (route as any).spec?.parentRefs ?? [];
    for (const parent of parents) {
      if ((parent?.kind ?? 'Gateway') !== 'Gateway') continue;
      refs.add(parent.namespace ?? route.metadata.namespace, parent.name);
    }
  }
  return refs.values();
}

/** TLS Secrets named by Ingress tls, Certificates, workloads and Gateway listeners. */
export function secretRefs(objects: ReadObjects): ObjectRef[] {
  const refs = refSet();
  for (const ingress of objects.ofKind('Ingress')) {
    for (const tls of (ingress as any).spec?.tls ?? []) {
      refs.add(ingress.metadata.namespace, tls?.secretName);
    }
  }
  for (const certificate of objects.ofKind('Certificate')) {
    refs.add(
      certificate.metadata.namespace,
      (certificate as any).spec?.secretName,
    );
  }
  for (const workload of objects.all()) {
    for (const name of workloadReferences(workload).tlsSecrets) {
      refs.add(workload.metadata.namespace, name);
    }
  }
  for (const gateway of objects.ofKind('Gateway')) {
    for (const listener of (gateway as any).spec?.listeners ?? []) {
      for (const ref of listener?.tls?.certificateRefs ?? []) {
        if ((ref?.kind ?? 'Secret') !== 'Secret' || (ref?.group ?? '') !== '') {
          continue;
        }
        refs.add(ref.namespace ?? gateway.metadata.namespace, ref.name);
      }
    }
  }
  return refs.values();
}

/** ConfigMaps the FL pods mount or read (e.g. a CA bundle from trust-manager). */
export function configMapRefs(objects: ReadObjects): ObjectRef[] {
  const refs = refSet();
  for (const workload of objects.all()) {
    for (const name of workloadReferences(workload).configMaps) {
      refs.add(workload.metadata.namespace, name);
    }
  }
  return refs.values();
}

/** ClusterIssuers that Certificates name. */
export function clusterIssuerNames(objects: ReadObjects): string[] {
  const names = new Set<string>();
  for (const certificate of objects.ofKind('Certificate')) {
    const issuerRef = (certificate as any).spec?.issuerRef;
    if (
      issuerRef?.kind === 'ClusterIssuer' &&
      typeof issuerRef.name === 'string' &&
      issuerRef.name
    ) {
      names.add(issuerRef.name);
    }
  }
  return [...names];
}

/**
 * CA issuers keep the CA's private key in their Secret: reading it would
 * give the portal the power to mint certificates. It is not read; the CA
 * certificate is checked through the ca.crt of the Secrets it issued.
 */
export function issuerKeySecretGaps(objects: ReadObjects): SnapshotGap[] {
  const gaps: SnapshotGap[] = [];
  for (const issuer of [
    ...objects.ofKind('Issuer'),
    ...objects.ofKind('ClusterIssuer'),
  ]) {
    const secretName = (issuer as any).spec?.ca?.secretName;
    if (typeof secretName !== 'string' || !secretName) continue;
    const namespace = issuer.metadata.namespace ?? CLUSTER_RESOURCE_NAMESPACE;
    if (objects.has('Secret', namespace, secretName)) continue;
    gaps.push({
      kind: 'Secret',
      apiVersion: 'v1',
      namespace,
      name: secretName,
      status: 'skip',
      reason: `CA key Secret of ${issuer.kind} ${issuer.metadata.name} is not read by design (it holds the CA private key); the CA certificate is checked through ca.crt of the Secrets it issued`,
    });
  }
  return gaps;
}

/** Gets objects by name into the snapshot. */
export interface GetObjects {
  get(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
  ): Promise<KubeObject | undefined>;
}

/**
 * Follows the references of what was listed, in dependency order: Gateways
 * (their listeners name Secrets), ClusterIssuers, then Secrets and
 * ConfigMaps; finally the gaps for the CA key Secrets left unread.
 */
export async function followReferences(
  objects: ReadObjects,
  reads: GetObjects,
  addGap: (gap: SnapshotGap) => void,
  concurrency: number,
): Promise<void> {
  await forEachLimit(gatewayRefs(objects), concurrency, async ref => {
    await reads.get(GATEWAY, ref.namespace, ref.name);
  });
  await forEachLimit(clusterIssuerNames(objects), concurrency, async name => {
    await reads.get(CLUSTER_ISSUER, undefined, name);
  });
  const named = [
    ...secretRefs(objects).map(ref => ({ kind: SECRET, ...ref })),
    ...configMapRefs(objects).map(ref => ({ kind: CONFIG_MAP, ...ref })),
  ];
  await forEachLimit(named, concurrency, async ref => {
    await reads.get(ref.kind, ref.namespace, ref.name);
  });
  issuerKeySecretGaps(objects).forEach(addGap);
}
