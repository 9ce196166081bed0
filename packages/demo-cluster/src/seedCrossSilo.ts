import { X509Certificate } from 'node:crypto';
import {
  FederationSpec,
  KUBERNETES_ID_LABEL,
  validateFederationSpec,
} from '@fl-security/plugin-fl-security-common';
import {
  clusterBundleObjects,
  generateFederationProject,
} from '@fl-security/plugin-fl-security-node';
import {
  applyManifests,
  ClusterAccess,
  issueCertificates,
  IssueCertificatesResult,
  kubeRequest,
  statusMessage,
} from '@fl-security/test-cluster';
import {
  assertApplied,
  ensureNamespace,
  requestServiceAccountToken,
} from './seedFederation';

type AdminCluster = ClusterAccess & { adminToken: string };

/** A cross-silo federation deployed bundle by bundle, each into its own API server. */
export interface SeededCrossSilo {
  /** The spec as applied: tls.caBundle is the CA the aggregator cluster issued from. */
  spec: FederationSpec;
  /** Objects applied per cluster (deploy/clusters/<cluster>/). */
  bundles: Map<string, unknown[]>;
  /** Certificates issued in the aggregator's cluster. */
  certificates: IssueCertificatesResult;
  /** The portal ServiceAccount's token per cluster (bound only by each bundle's RBAC). */
  portalTokens: Record<string, string>;
}

function validated(input: unknown): FederationSpec {
  const validation = validateFederationSpec(input);
  if (!validation.ok) {
    throw new Error(
      `invalid federation spec:\n${validation.errors.join('\n')}`,
    );
  }
  return validation.spec;
}

/** The objects of each cluster bundle, by cluster name (the generated folders). */
export function clusterBundles(spec: FederationSpec): Map<string, unknown[]> {
  const byCluster: Map<string, unknown[]> = clusterBundleObjects(
    generateFederationProject(spec).files,
  );
  if (byCluster.size === 0)
    throw new Error(
      `federation ${spec.name} has no per-cluster bundles (not cross-silo)`,
    );
  return byCluster;
}

async function applyBundle(
  cluster: AdminCluster,
  name: string,
  objects: unknown[],
) {
  const kind = (o: unknown) => (o as { kind?: string }).kind;
  assertApplied(
    await applyManifests(
      cluster,
      objects.filter(o => kind(o) === 'Namespace'),
    ),
    `namespaces of bundle ${name}`,
  );
  assertApplied(
    await applyManifests(
      cluster,
      objects.filter(o => kind(o) !== 'Namespace'),
    ),
    `bundle ${name}`,
  );
}

/** The federation CA as the aggregator's cert-manager issued it (ca.crt of a CA Secret). */
async function issuedCaPem(
  cluster: AdminCluster,
  spec: FederationSpec,
  issued: IssueCertificatesResult,
): Promise<string> {
  for (const certificate of issued.issued) {
    const response = await kubeRequest(cluster, {
      path: `/api/v1/namespaces/${certificate.namespace}/secrets/${certificate.secretName}`,
      token: cluster.adminToken,
    });
    if (response.status !== 200)
      throw new Error(`reading the issued Secret: ${statusMessage(response)}`);
    const data =
      (response.body as { data?: Record<string, string> }).data ?? {};
    const pem = Buffer.from(data['tls.crt'] ?? '', 'base64').toString('utf8');
    if (pem && new X509Certificate(pem).ca) return pem;
  }
  throw new Error(`no CA certificate was issued for federation ${spec.name}`);
}

/**
 * Applies the aggregator's bundle, issues its certificates, then (as the
 * operator does, deploy/README.md) puts the issued CA into tls.caBundle and
 * applies each site bundle to its own cluster. Every cluster of the spec
 * must be in `clusters`.
 */
export async function seedCrossSiloFederation(
  clusters: Record<string, AdminCluster>,
  specInput: unknown,
  options: { now?: Date; tokenSeconds?: number } = {},
): Promise<SeededCrossSilo> {
  const draft = validated(specInput);
  const hubName = draft.aggregator.cluster!;
  const access = (name: string) => {
    const cluster = clusters[name];
    if (!cluster)
      throw new Error(
        `no API server for cluster ${name} of federation ${draft.name}`,
      );
    return cluster;
  };
  const hub = access(hubName);
  await ensureNamespace(hub, draft.tls.certManagerNamespace ?? 'cert-manager');
  await applyBundle(hub, hubName, clusterBundles(draft).get(hubName)!);
  const certificates = await issueCertificates(hub, {
    now: options.now,
    labelSelector: `${KUBERNETES_ID_LABEL}=${draft.name}`,
  });
  const caPem = await issuedCaPem(hub, draft, certificates);
  const spec = validated({
    ...draft,
    tls: { ...draft.tls, caBundle: [Buffer.from(caPem).toString('base64')] },
  });
  const bundles = clusterBundles(spec);
  const portalTokens: Record<string, string> = {};
  const account = spec.portal.serviceAccount;
  for (const [name, objects] of bundles) {
    // The aggregator's bundle again too: applying is idempotent, and the
    // final spec is what the repository would hold.
    await applyBundle(access(name), name, objects);
    portalTokens[name] = await requestServiceAccountToken(
      access(name),
      account.namespace,
      account.name,
      options.tokenSeconds ?? 24 * 3600,
    );
  }
  return { spec, bundles, certificates, portalTokens };
}
