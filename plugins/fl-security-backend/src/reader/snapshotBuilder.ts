import { ClusterSnapshot, KubeObject, SnapshotGap } from './engineTypes';
import { groupVersion, ResourceKind } from './resourceKinds';
import { collectSensitiveValues, sanitizeObject } from './sanitize';
import { ScanBudget } from './scanBudget';

/** What the reader decided about one namespace of an entity (SCOPE-01). */
export interface ScopeDecision {
  namespace: string;
  /** pass: bound and read; skip: not bound, not read; error: could not tell, not read. */
  status: 'pass' | 'skip' | 'error';
  message: string;
}

/** A cluster's snapshot and the key material read for it. */
export interface ClusterRead {
  snapshot: ClusterSnapshot;
  /** Every namespace considered, with why it was or was not read. */
  scope: ScopeDecision[];
  /**
   * Secret values read (key material): kept in memory only, to prove no
   * report carries them.
   */
  sensitiveValues: string[];
}

/**
 * The bookkeeping of one cluster read: objects by kind, namespace and name
 * (sanitized, with apiVersion and kind restored), the gaps explaining what
 * is missing, and the key material of the Secrets read.
 */
export class SnapshotBuilder {
  private readonly objects = new Map<string, KubeObject>();
  private readonly gaps: SnapshotGap[] = [];
  private readonly sensitive = new Set<string>();

  constructor(private readonly budget: ScanBudget) {}

  add(object: KubeObject, kind: ResourceKind, version: string): KubeObject {
    this.budget.chargeObject();
    const sanitized = sanitizeObject({
      ...object,
      apiVersion: groupVersion(kind.group, version),
      kind: kind.kind,
    });
    const { namespace = '', name } = sanitized.metadata;
    this.objects.set(`${kind.kind}/${namespace}/${name}`, sanitized);
    if (kind.kind === 'Secret') {
      collectSensitiveValues(sanitized, this.sensitive);
    }
    return sanitized;
  }

  has(kind: string, namespace: string | undefined, name: string): boolean {
    return this.objects.has(`${kind}/${namespace ?? ''}/${name}`);
  }

  ofKind(kind: string): KubeObject[] {
    return [...this.objects.values()].filter(o => o.kind === kind);
  }

  all(): KubeObject[] {
    return [...this.objects.values()];
  }

  gap(gap: SnapshotGap): void {
    this.gaps.push(gap);
  }

  /** Discovery gaps are per cluster: each once, not once per namespace. */
  gapOnce(gap: SnapshotGap): void {
    const same = this.gaps.some(
      g => g.kind === gap.kind && g.reason === gap.reason && !g.namespace,
    );
    if (!same) this.gap(gap);
  }

  build(cluster: string, scope: ScopeDecision[]): ClusterRead {
    return {
      // Only the entity's bound Namespaces are read: others a policy names may exist.
      snapshot: {
        cluster,
        objects: this.all(),
        gaps: this.gaps,
        partialNamespaces: true,
      },
      scope,
      sensitiveValues: [...this.sensitive],
    };
  }
}
