/**
 * Which namespaces a read may touch: those whose Namespace object is bound
 * to the entity (label fl-security/federation + annotation
 * fl-security/entity-ref), or that an administrator mapped to it in
 * app-config. The binding is checked on the Namespace object before
 * anything in the namespace is listed or read; catalog annotations only
 * choose among bound namespaces.
 */
import {
  NAMESPACE_FEDERATION_LABEL,
  namespaceBinding,
} from '@fl-security/plugin-fl-security-common';
import { KubeObject } from './engineTypes';
import { ClusterApi, requestFailure } from './kubeApi';
import { forEachLimit } from './limit';
import { NAMESPACE } from './resourceKinds';
import { ScopeDecision, SnapshotBuilder } from './snapshotBuilder';

/** The entity a read is for: what a Namespace must name to be read. */
export interface ScopeOwner {
  /** `kind:namespace/name` of the catalog entity. */
  entityRef: string;
  /** Its federation id (backstage.io/kubernetes-id, else its name). */
  federation: string;
}

const PAGE_SIZE = '500';

export class NamespaceScope {
  private readonly decided = new Map<string, Promise<boolean>>();
  private readonly decisions: ScopeDecision[] = [];

  constructor(
    private readonly api: ClusterApi,
    private readonly snapshot: SnapshotBuilder,
    private readonly owner: ScopeOwner,
    /** Namespaces of this cluster mapped to the entity by an administrator. */
    private readonly mapped: readonly string[],
  ) {}

  /** The decisions so far, by namespace name (code-unit order). */
  entries(): ScopeDecision[] {
    const byName = (a: ScopeDecision, b: ScopeDecision) => {
      if (a.namespace === b.namespace) return 0;
      return a.namespace < b.namespace ? -1 : 1;
    };
    return [...this.decisions].sort(byName);
  }

  /**
   * The bound namespaces to list: of the requested ones (the entity's
   * annotations), or else those labelled with the federation id plus the
   * mapped ones. Sorted, each once.
   */
  async resolve(
    requested: readonly string[] | undefined,
    concurrency: number,
  ): Promise<string[]> {
    let candidates: string[];
    if (requested) {
      candidates = [...new Set(requested)];
    } else {
      candidates = [...new Set([...(await this.discover()), ...this.mapped])];
    }
    const bound = new Set<string>();
    await forEachLimit(candidates, concurrency, async namespace => {
      if (await this.isBound(namespace)) bound.add(namespace);
    });
    return candidates.filter(namespace => bound.has(namespace)).sort();
  }

  /**
   * Whether the namespace may be read for the entity; verified on the
   * Namespace object the first time it is asked. `namedBy` says why it was
   * asked when it is not one of the entity's own (a reference).
   */
  isBound(namespace: string, namedBy?: string): Promise<boolean> {
    let decision = this.decided.get(namespace);
    if (!decision) {
      decision = this.verify(namespace, namedBy);
      this.decided.set(namespace, decision);
    }
    return decision;
  }

  private async verify(namespace: string, namedBy?: string): Promise<boolean> {
    const response = await this.api.get(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}`,
    );
    if (response.status === 200) {
      return this.decide(response.body, namedBy);
    }
    // Not in this cluster: nothing to read, nothing to say.
    if (response.status === 404) return false;
    const gap = requestFailure(
      response,
      NAMESPACE,
      'v1',
      'get',
      undefined,
      namespace,
    );
    this.snapshot.gap(gap);
    this.decisions.push({
      namespace,
      status: 'error',
      message: `Namespace ${namespace}: its binding to ${
        this.owner.entityRef
      } could not be verified (${
        gap.missingPermission
          ? `missing permission: ${gap.missingPermission}`
          : gap.reason
      }); nothing in it was read.`,
    });
    return false;
  }

  /** Namespaces labelled with the federation id (their objects decide at once). */
  private async discover(): Promise<string[]> {
    const found: string[] = [];
    let continueToken: string | undefined;
    do {
      const response = await this.api.get('/api/v1/namespaces', {
        // The binding label, never the entity's own label selector: that is
        // the entity author's choice and could match every namespace.
        labelSelector: `${NAMESPACE_FEDERATION_LABEL}=${this.owner.federation}`,
        limit: PAGE_SIZE,
        continue: continueToken,
      });
      if (response.status !== 200) {
        this.snapshot.gap(requestFailure(response, NAMESPACE, 'v1', 'list'));
        return found;
      }
      for (const item of (response.body?.items ?? []) as KubeObject[]) {
        const name = item?.metadata?.name;
        if (typeof name !== 'string' || this.decided.has(name)) continue;
        this.decided.set(name, Promise.resolve(this.decide(item)));
        found.push(name);
      }
      continueToken = response.body?.metadata?.continue || undefined;
    } while (continueToken);
    return found;
  }

  private decide(object: KubeObject, namedBy?: string): boolean {
    const namespace = object.metadata.name;
    const { entityRef } = this.owner;
    if (this.mapped.includes(namespace)) {
      this.snapshot.add(object, NAMESPACE, 'v1');
      this.decisions.push({
        namespace,
        status: 'pass',
        message: `Namespace ${namespace} is mapped to ${entityRef} by flSecurity.namespaceBindings.`,
      });
      return true;
    }
    const binding = namespaceBinding(object, this.owner);
    if (binding.bound) {
      this.snapshot.add(object, NAMESPACE, 'v1');
      this.decisions.push({
        namespace,
        status: 'pass',
        message: `Namespace ${namespace} is bound to ${entityRef} (label ${NAMESPACE_FEDERATION_LABEL} and annotation fl-security/entity-ref).`,
      });
      return true;
    }
    this.decisions.push({
      namespace,
      status: 'skip',
      message: `Namespace ${namespace} is not bound to ${entityRef}: ${
        binding.reason
      }. Nothing in it was read${namedBy ? ` (${namedBy} is there)` : ''}.`,
    });
    return false;
  }
}
