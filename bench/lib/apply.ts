/**
 * Applying a generated federation to a local API server for the bench:
 * APPLY_CLIENTS parallel clients, namespaces first (with cert-manager's,
 * which holds the CA of a ClusterIssuer), then the rest.
 */
import {
  applyManifests,
  describeFailures,
  issueCertificates,
  TestCluster,
} from '@fl-security/test-cluster';

const APPLY_CLIENTS = 6;

export async function applyAll(
  cluster: TestCluster,
  objects: readonly unknown[],
  what: string,
  mode: 'apply' | 'create' = 'apply',
) {
  const slices: unknown[][] = Array.from({ length: APPLY_CLIENTS }, () => []);
  objects.forEach((object, i) => slices[i % APPLY_CLIENTS].push(object));
  const results = await Promise.all(
    slices.map(slice => applyManifests(cluster, slice, { mode })),
  );
  const failures = describeFailures(results.flat());
  if (failures)
    throw new Error(`applying ${what} failed:\n${failures.slice(0, 2000)}`);
}

/** The federation's namespaces (and cert-manager's), then its other objects. */
export async function applyFederation(
  cluster: TestCluster,
  objects: ReadonlyArray<{ kind: string }>,
) {
  await applyAll(
    cluster,
    [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'cert-manager' },
      },
      ...objects.filter(o => o.kind === 'Namespace'),
    ],
    'namespaces',
  );
  await applyAll(
    cluster,
    objects.filter(o => o.kind !== 'Namespace'),
    'federation objects',
  );
}

/** Plays cert-manager for every Certificate; all must be issued. */
export async function issueAll(cluster: TestCluster) {
  const certificates = await issueCertificates(cluster);
  if (certificates.notIssued.length > 0) {
    throw new Error(
      `certificates not issued: ${JSON.stringify(certificates.notIssued).slice(
        0,
        1000,
      )}`,
    );
  }
  return certificates;
}
