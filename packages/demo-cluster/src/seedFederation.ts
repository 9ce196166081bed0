import {
  FederationSpec,
  KUBERNETES_ID_LABEL,
  validateFederationSpec,
} from '@fl-security/plugin-fl-security-common';
import { generateFederationProject } from '@fl-security/plugin-fl-security-node';
import {
  applyManifests,
  ApplyResult,
  ClusterAccess,
  describeFailures,
  issueCertificates,
  IssueCertificatesOptions,
  IssueCertificatesResult,
  kubeRequest,
  statusMessage,
} from '@fl-security/test-cluster';

/** A generated federation deployed into a (test) API server. */
export interface SeededFederation {
  spec: FederationSpec;
  /** Every object the generator emitted, as applied. */
  objects: unknown[];
  certificates: IssueCertificatesResult;
  /** Bearer token of the portal's ServiceAccount (bound only by the generated RBAC). */
  portalToken: string;
}

export interface SeedOptions {
  /** Clock for certificate validity; default now. */
  now?: Date;
  /** Lifetime of the portal token; default one day. */
  tokenSeconds?: number;
  /** Breaks chosen certificates on purpose (see issueCertificates). */
  certificateOverride?: IssueCertificatesOptions['override'];
}

/** Throws naming every object the API server refused. */
export function assertApplied(results: ApplyResult[], what: string) {
  const failed = results.filter(r => !r.ok);
  if (failed.length > 0) {
    throw new Error(`applying ${what} failed:\n${describeFailures(failed)}`);
  }
}

export async function ensureNamespace(cluster: ClusterAccess, name: string) {
  assertApplied(
    await applyManifests(cluster, [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
    ]),
    `namespace ${name}`,
  );
}

/**
 * Issues a token for the portal's ServiceAccount through the TokenRequest
 * API, so reads are authorized exactly by the RBAC the generator wrote.
 */
export async function requestServiceAccountToken(
  cluster: ClusterAccess & { adminToken: string },
  namespace: string,
  name: string,
  expirationSeconds: number,
): Promise<string> {
  await ensureNamespace(cluster, namespace);
  assertApplied(
    await applyManifests(cluster, [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
    ]),
    `service account ${namespace}/${name}`,
  );
  const response = await kubeRequest(cluster, {
    method: 'POST',
    path: `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
    token: cluster.adminToken,
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds },
    },
  });
  if (response.status !== 201 && response.status !== 200) {
    throw new Error(`token request for ${namespace}/${name}: ${statusMessage(response)}`);
  }
  return (response.body as any).status.token as string;
}

/**
 * Generates the federation of `specInput`, applies every object (namespaces
 * first), issues its certificates as cert-manager would and returns a token
 * of the portal's ServiceAccount.
 */
export async function seedFederation(
  cluster: ClusterAccess & { adminToken: string },
  specInput: unknown,
  options: SeedOptions = {},
): Promise<SeededFederation> {
  const validation = validateFederationSpec(specInput);
  if (!validation.ok) {
    throw new Error(`invalid federation spec:\n${validation.errors.join('\n')}`);
  }
  const project = generateFederationProject(validation.spec);
  const objects = project.objects as Array<{ kind: string }>;
  const namespaces = objects.filter(o => o.kind === 'Namespace');
  const rest = objects.filter(o => o.kind !== 'Namespace');

  // cert-manager's own namespace holds the CA of a ClusterIssuer.
  await ensureNamespace(cluster, 'cert-manager');
  assertApplied(await applyManifests(cluster, namespaces), 'namespaces');
  assertApplied(await applyManifests(cluster, rest), 'federation objects');

  // Only this federation's Certificates: re-issuing another federation's CA
  // would invalidate its chain.
  const certificates = await issueCertificates(cluster, {
    now: options.now,
    labelSelector: `${KUBERNETES_ID_LABEL}=${validation.spec.name}`,
    override: options.certificateOverride,
  });

  const account = validation.spec.portal.serviceAccount;
  const portalToken = await requestServiceAccountToken(
    cluster,
    account.namespace,
    account.name,
    options.tokenSeconds ?? 24 * 3600,
  );
  return { spec: validation.spec, objects, certificates, portalToken };
}
