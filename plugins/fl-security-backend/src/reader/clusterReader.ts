import { KubeConnection, KubeResponse } from '../kube/connection';
import { ClusterSnapshot, KubeObject, SnapshotGap } from './engineTypes';
import { createLimiter } from './limit';
import {
  CLUSTER_ISSUER,
  CONFIG_MAP,
  groupVersion,
  groupVersionPath,
  LISTED_KINDS,
  NAMESPACE,
  ResourceKind,
  SECRET,
} from './resourceKinds';
import { collectSensitiveValues, sanitizeObject } from './sanitize';
import { workloadReferences } from './workloadReferences';

/** What to read in one cluster for one entity. */
export interface ReadTarget {
  /** Label selector of the entity's objects. */
  labelSelector: string;
  /** Namespaces to read; absent: the Namespaces matching the selector. */
  namespaces?: string[];
}

export interface ClusterRead {
  snapshot: ClusterSnapshot;
  /**
   * Secret values read (key material): kept in memory only, to prove no
   * report carries them.
   */
  sensitiveValues: string[];
}

const PAGE_SIZE = '500';
/** cert-manager's default --cluster-resource-namespace (ClusterIssuer Secrets). */
const CLUSTER_RESOURCE_NAMESPACE = 'cert-manager';
/** Longest API server message kept in a gap reason. */
const MAX_REASON = 300;

type Listed =
  | { ok: true; items: KubeObject[] }
  | { ok: false; gap: SnapshotGap };

function statusMessage(response: KubeResponse): string {
  const message =
    typeof response.body === 'object' && response.body
      ? String(response.body.message ?? '')
      : String(response.body ?? '');
  const text = message.replace(/\s+/g, ' ').trim();
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}…` : text;
}

/** Reads the objects of one entity from one cluster into a snapshot. */
export class ClusterReader {
  private readonly limit: ReturnType<typeof createLimiter>;
  private readonly servedVersions = new Map<string, Promise<string | Listed>>();
  private readonly objects = new Map<string, KubeObject>();
  private readonly gaps: SnapshotGap[] = [];
  private readonly sensitive = new Set<string>();

  constructor(
    private readonly connection: KubeConnection,
    private readonly signal: AbortSignal,
    concurrency: number,
  ) {
    this.limit = createLimiter(concurrency);
  }

  async read(target: ReadTarget): Promise<ClusterRead> {
    const namespaces =
      target.namespaces ??
      (await this.discoverNamespaces(target.labelSelector));
    const present = await Promise.all(
      namespaces.map(namespace => this.readNamespace(namespace)),
    );
    const readable = namespaces.filter((_, i) => present[i]);
    await Promise.all(
      readable.flatMap(namespace =>
        LISTED_KINDS.map(kind =>
          this.list(kind, namespace, target.labelSelector),
        ),
      ),
    );
    await this.readReferencedGateways();
    await this.readReferencedClusterIssuers();
    await Promise.all([
      this.readReferencedSecrets(),
      this.readReferencedConfigMaps(),
    ]);
    this.skipIssuerKeySecrets();
    return {
      snapshot: {
        cluster: this.connection.cluster,
        objects: [...this.objects.values()],
        gaps: this.gaps,
      },
      sensitiveValues: [...this.sensitive],
    };
  }

  /** Rejected credentials fail the whole cluster, not each kind. */
  private async request(
    path: string,
    query?: Record<string, string | undefined>,
  ): Promise<KubeResponse> {
    const response = await this.limit(() =>
      this.connection.request({ path, query, signal: this.signal }),
    );
    if (response.status === 401) {
      throw new Error('the API server rejected the credentials (HTTP 401)');
    }
    return response;
  }

  private add(object: KubeObject, kind: ResourceKind, version: string) {
    const sanitized = sanitizeObject({
      ...object,
      apiVersion: groupVersion(kind.group, version),
      kind: kind.kind,
    });
    const { namespace = '', name } = sanitized.metadata;
    this.objects.set(`${kind.kind}/${namespace}/${name}`, sanitized);
    return sanitized;
  }

  private has(kind: string, namespace: string | undefined, name: string) {
    return this.objects.has(`${kind}/${namespace ?? ''}/${name}`);
  }

  private gap(gap: SnapshotGap) {
    this.gaps.push(gap);
  }

  /** A gap for a failed request: 403 names the missing permission. */
  private failure(
    response: KubeResponse,
    kind: ResourceKind,
    version: string,
    verb: 'list' | 'get',
    namespace?: string,
    name?: string,
  ): SnapshotGap {
    const resource = name ? `${kind.plural}/${name}` : kind.plural;
    const scope = namespace ? ` in ${namespace}` : '';
    const base = {
      kind: kind.kind,
      apiVersion: groupVersion(kind.group, version),
      ...(namespace ? { namespace } : {}),
      ...(name ? { name } : {}),
    };
    if (response.status === 403) {
      return {
        ...base,
        status: 'error',
        reason: `forbidden: ${statusMessage(response)}`,
        missingPermission: `${verb} ${resource}${scope}${
          kind.group ? ` (${kind.group})` : ''
        }`,
      };
    }
    return {
      ...base,
      status: 'error',
      reason: `${verb} ${resource}${scope} failed with HTTP ${
        response.status
      }: ${statusMessage(response)}`,
    };
  }

  /**
   * The version a kind is served in, from API discovery (a missing CRD is a
   * 404 on its group/version), or the gap explaining why it cannot be read.
   */
  private async version(kind: ResourceKind): Promise<string | Listed> {
    if (!kind.optional) return kind.versions[0];
    const key = `${kind.group}/${kind.plural}`;
    let found = this.servedVersions.get(key);
    if (!found) {
      found = this.discover(kind);
      this.servedVersions.set(key, found);
    }
    return found;
  }

  private async discover(kind: ResourceKind): Promise<string | Listed> {
    for (const version of kind.versions) {
      const response = await this.request(
        groupVersionPath(kind.group, version),
      );
      if (response.status === 404) continue;
      if (response.status !== 200) {
        return {
          ok: false,
          gap: {
            kind: kind.kind,
            status: 'error',
            reason: `API discovery of ${
              kind.group
            }/${version} failed with HTTP ${response.status}: ${statusMessage(
              response,
            )}`,
            ...(response.status === 403
              ? {
                  missingPermission: `get ${groupVersionPath(
                    kind.group,
                    version,
                  )}`,
                }
              : {}),
          },
        };
      }
      const resources: Array<{ name?: string }> =
        response.body?.resources ?? [];
      if (resources.some(r => r.name === kind.plural)) return version;
    }
    return {
      ok: false,
      gap: {
        kind: kind.kind,
        status: 'skip',
        reason: `${kind.kind} (${kind.group} ${kind.versions.join(
          '/',
        )}) is not installed in cluster ${this.connection.cluster}`,
      },
    };
  }

  /** Lists one kind in one namespace (all pages). */
  private async list(
    kind: ResourceKind,
    namespace: string,
    labelSelector: string,
  ): Promise<void> {
    const version = await this.version(kind);
    if (typeof version !== 'string') {
      if (!version.ok) this.addGapOnce(version.gap);
      return;
    }
    const path = `${groupVersionPath(
      kind.group,
      version,
    )}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`;
    let continueToken: string | undefined;
    do {
      const response = await this.request(path, {
        labelSelector: kind.selection === 'label' ? labelSelector : undefined,
        limit: PAGE_SIZE,
        continue: continueToken,
      });
      if (response.status !== 200) {
        this.gap(
          response.status === 404 && kind.optional
            ? {
                kind: kind.kind,
                apiVersion: groupVersion(kind.group, version),
                namespace,
                status: 'skip',
                reason: `${kind.kind} is not served in cluster ${this.connection.cluster}`,
              }
            : this.failure(response, kind, version, 'list', namespace),
        );
        return;
      }
      for (const item of response.body?.items ?? []) {
        this.add(item, kind, version);
      }
      continueToken = response.body?.metadata?.continue || undefined;
    } while (continueToken);
  }

  /** Discovery gaps are per cluster: report each once, not per namespace. */
  private addGapOnce(gap: SnapshotGap) {
    const same = this.gaps.some(
      g => g.kind === gap.kind && g.reason === gap.reason && !g.namespace,
    );
    if (!same) this.gap(gap);
  }

  /** Gets one object by name; 404 leaves it absent (the engine reports it). */
  private async get(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
  ): Promise<KubeObject | undefined> {
    if (this.has(kind.kind, namespace, name)) return undefined;
    const version = await this.version(kind);
    if (typeof version !== 'string') {
      if (!version.ok) this.addGapOnce(version.gap);
      return undefined;
    }
    const scope = namespace
      ? `/namespaces/${encodeURIComponent(namespace)}`
      : '';
    const response = await this.request(
      `${groupVersionPath(kind.group, version)}${scope}/${
        kind.plural
      }/${encodeURIComponent(name)}`,
    );
    if (response.status === 200) return this.add(response.body, kind, version);
    if (response.status !== 404) {
      this.gap(this.failure(response, kind, version, 'get', namespace, name));
    }
    return undefined;
  }

  /** Gets a namespace; false when it does not exist in this cluster. */
  private async readNamespace(namespace: string): Promise<boolean> {
    const response = await this.request(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}`,
    );
    if (response.status === 200) {
      this.add(response.body, NAMESPACE, 'v1');
      return true;
    }
    if (response.status === 404) return false;
    // Cannot tell whether it exists: read it anyway, and say why.
    this.gap(
      this.failure(response, NAMESPACE, 'v1', 'get', undefined, namespace),
    );
    return true;
  }

  private async discoverNamespaces(labelSelector: string): Promise<string[]> {
    const response = await this.request('/api/v1/namespaces', {
      labelSelector,
    });
    if (response.status !== 200) {
      this.gap(this.failure(response, NAMESPACE, 'v1', 'list'));
      return [];
    }
    const items: KubeObject[] = response.body?.items ?? [];
    return items.map(item => item.metadata.name).sort();
  }

  private ofKind(kind: string): KubeObject[] {
    return [...this.objects.values()].filter(o => o.kind === kind);
  }

  /** Gateways in other namespaces that TLSRoutes attach to. */
  private async readReferencedGateways() {
    const gatewayKind = LISTED_KINDS.find(k => k.kind === 'Gateway')!;
    const refs = new Map<string, { namespace: string; name: string }>();
    for (const route of this.ofKind('TLSRoute')) {
      const parents: any[] = (route as any).spec?.parentRefs ?? [];
      for (const parent of parents) {
        if ((parent.kind ?? 'Gateway') !== 'Gateway' || !parent.name) continue;
        const namespace = parent.namespace ?? route.metadata.namespace;
        refs.set(`${namespace}/${parent.name}`, {
          namespace,
          name: parent.name,
        });
      }
    }
    await Promise.all(
      [...refs.values()].map(ref =>
        this.get(gatewayKind, ref.namespace, ref.name),
      ),
    );
  }

  /** TLS Secrets named by Ingress tls, Certificates and Gateway listeners. */
  private async readReferencedSecrets() {
    const refs = new Map<string, { namespace: string; name: string }>();
    const addRef = (namespace: string | undefined, name: unknown) => {
      if (!namespace || typeof name !== 'string' || !name) return;
      refs.set(`${namespace}/${name}`, { namespace, name });
    };
    for (const ingress of this.ofKind('Ingress')) {
      for (const tls of (ingress as any).spec?.tls ?? []) {
        addRef(ingress.metadata.namespace, tls?.secretName);
      }
    }
    for (const certificate of this.ofKind('Certificate')) {
      addRef(
        certificate.metadata.namespace,
        (certificate as any).spec?.secretName,
      );
    }
    for (const workload of this.objects.values()) {
      for (const name of workloadReferences(workload).tlsSecrets) {
        addRef(workload.metadata.namespace, name);
      }
    }
    for (const gateway of this.ofKind('Gateway')) {
      for (const listener of (gateway as any).spec?.listeners ?? []) {
        for (const ref of listener?.tls?.certificateRefs ?? []) {
          if ((ref.kind ?? 'Secret') !== 'Secret' || (ref.group ?? '') !== '') {
            continue;
          }
          addRef(ref.namespace ?? gateway.metadata.namespace, ref.name);
        }
      }
    }
    await Promise.all(
      [...refs.values()].map(async ref => {
        const secret = await this.get(SECRET, ref.namespace, ref.name);
        if (secret) collectSensitiveValues(secret, this.sensitive);
      }),
    );
  }

  /** ConfigMaps the FL pods mount or read (e.g. a CA bundle from trust-manager). */
  private async readReferencedConfigMaps() {
    const refs = new Map<string, { namespace: string; name: string }>();
    for (const workload of [...this.objects.values()]) {
      const namespace = workload.metadata.namespace;
      if (!namespace) continue;
      for (const name of workloadReferences(workload).configMaps) {
        refs.set(`${namespace}/${name}`, { namespace, name });
      }
    }
    await Promise.all(
      [...refs.values()].map(ref =>
        this.get(CONFIG_MAP, ref.namespace, ref.name),
      ),
    );
  }

  /**
   * CA issuers keep the CA's private key in their Secret: reading it would
   * give the portal the power to mint certificates. It is not read; the CA
   * certificate is checked through the ca.crt of the Secrets it issued.
   */
  private skipIssuerKeySecrets() {
    for (const issuer of [
      ...this.ofKind('Issuer'),
      ...this.ofKind('ClusterIssuer'),
    ]) {
      const secretName = (issuer as any).spec?.ca?.secretName;
      if (typeof secretName !== 'string' || !secretName) continue;
      const namespace = issuer.metadata.namespace ?? CLUSTER_RESOURCE_NAMESPACE;
      if (this.has('Secret', namespace, secretName)) continue;
      this.gap({
        kind: 'Secret',
        apiVersion: 'v1',
        namespace,
        name: secretName,
        status: 'skip',
        reason: `CA key Secret of ${issuer.kind} ${issuer.metadata.name} is not read by design (it holds the CA private key); the CA certificate is checked through ca.crt of the Secrets it issued`,
      });
    }
  }

  private async readReferencedClusterIssuers() {
    const names = new Set<string>();
    for (const certificate of this.ofKind('Certificate')) {
      const issuerRef = (certificate as any).spec?.issuerRef;
      if (issuerRef?.kind === 'ClusterIssuer' && issuerRef.name) {
        names.add(issuerRef.name);
      }
    }
    await Promise.all(
      [...names].map(name => this.get(CLUSTER_ISSUER, undefined, name)),
    );
  }
}
