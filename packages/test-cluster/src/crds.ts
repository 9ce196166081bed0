import fs from 'node:fs';
import path from 'node:path';
import { ApplyResult, applyManifests, ClusterAccess, describeFailures, parseManifests } from './apply';
import { ADMIN_USER } from './credentials';
import { kubeRequest } from './http';

/** Which upstream CRD sets to install (copied by build.sh from pinned Go modules). */
export interface CrdSelection {
  /** cert-manager.io and acme.cert-manager.io; default true */
  certManager?: boolean;
  /** Gateway API release channel; default 'standard' (serves TLSRoute v1). */
  gatewayApi?: 'standard' | 'experimental' | false;
  /** Istio networking/security/telemetry/extensions CRDs; default true */
  istio?: boolean;
  /** HashiCorp Vault Secrets Operator (VaultPKISecret, VaultAuth, ...); default true */
  vaultSecretsOperator?: boolean;
  /** trust-manager's Bundle (trust.cert-manager.io); default false: only site bundles use it */
  trustManager?: boolean;
}

function selectedSources(selection: CrdSelection): string[] {
  const sources: string[] = [];
  if (selection.certManager ?? true) {
    sources.push('cert-manager');
  }
  const gateway = selection.gatewayApi ?? 'standard';
  if (gateway) {
    sources.push(`gateway-api-${gateway}`);
  }
  if (selection.istio ?? true) {
    sources.push('istio');
  }
  if (selection.vaultSecretsOperator ?? true) {
    sources.push('vault-secrets-operator');
  }
  if (selection.trustManager ?? false) {
    sources.push('trust-manager');
  }
  return sources;
}

/** The manifests (CRDs and upstream's accompanying admission policies) of a selection. */
export function loadCrdManifests(crdDir: string, selection: CrdSelection): unknown[] {
  const docs: unknown[] = [];
  for (const source of selectedSources(selection)) {
    const dir = path.join(crdDir, source);
    const files = fs.readdirSync(dir).filter(file => file.endsWith('.yaml')).sort();
    for (const file of files) {
      docs.push(...parseManifests(fs.readFileSync(path.join(dir, file), 'utf8')));
    }
  }
  return docs;
}

function crdNames(docs: unknown[]): string[] {
  return docs
    .filter((doc: any) => doc.kind === 'CustomResourceDefinition')
    .map((doc: any) => doc.metadata.name as string);
}

/**
 * Installs with server-side apply (several CRDs exceed the annotation limit
 * of client-side apply) and waits until every CRD is Established.
 */
export async function installCrds(
  cluster: ClusterAccess,
  docs: unknown[],
  timeoutMs = 60_000,
): Promise<string[]> {
  const parallel = 4;
  const slices = Array.from({ length: parallel }, (_, i) =>
    docs.filter((_doc, index) => index % parallel === i),
  );
  const results: ApplyResult[] = (
    await Promise.all(
      slices.map(slice => applyManifests(cluster, slice, { fieldManager: 'flsec-test-cluster' })),
    )
  ).flat();
  const failures = describeFailures(results);
  if (failures) {
    throw new Error(`installing upstream CRDs failed:\n${failures}`);
  }
  const names = crdNames(docs);
  const deadline = Date.now() + timeoutMs;
  await waitEstablished(cluster, names, timeoutMs);
  await waitListable(cluster, docs, deadline);
  return names;
}

/**
 * Established is not the end: each new resource's watch cache then
 * initializes, and until it has, lists answer 429 "storage is
 * (re)initializing". Tests should not meet that, so wait for a list to work.
 */
async function waitListable(cluster: ClusterAccess, docs: unknown[], deadline: number): Promise<void> {
  const lists = docs
    .filter((doc: any) => doc.kind === 'CustomResourceDefinition')
    .flatMap((crd: any) =>
      (crd.spec.versions ?? [])
        .filter((version: any) => version.served)
        .map((version: any) => `/apis/${crd.spec.group}/${version.name}/${crd.spec.names.plural}?limit=1`),
    );
  await Promise.all(
    lists.map(async list => {
      for (;;) {
        const response = await kubeRequest(cluster, { path: list, token: cluster.tokens[ADMIN_USER] });
        if (response.status === 200) {
          return;
        }
        if (Date.now() >= deadline) {
          throw new Error(`GET ${list} still answers ${response.status} after the CRD is Established`);
        }
        await new Promise(resolve => setTimeout(resolve, 200));
      }
    }),
  );
}

async function waitEstablished(
  cluster: ClusterAccess,
  names: string[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = names;
  while (pending.length > 0) {
    const response = await kubeRequest(cluster, {
      path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      token: cluster.tokens[ADMIN_USER],
    });
    const established = new Set<string>(
      (response.body?.items ?? [])
        .filter((crd: any) =>
          (crd.status?.conditions ?? []).some(
            (c: any) => c.type === 'Established' && c.status === 'True',
          ),
        )
        .map((crd: any) => crd.metadata.name),
    );
    pending = pending.filter(name => !established.has(name));
    if (pending.length === 0) {
      return;
    }
    if (Date.now() >= deadline) {
      throw new Error(`CRDs not Established after ${timeoutMs} ms: ${pending.join(', ')}`);
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}
