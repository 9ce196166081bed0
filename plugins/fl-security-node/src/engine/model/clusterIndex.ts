/**
 * One snapshot indexed once: namespaces (with their labels), workloads by
 * namespace and labels, compiled NetworkPolicies, objects by kind and name,
 * and the gaps of the reader. Rules only read from here.
 */
import type { ClusterSnapshot, KubeObject, SnapshotGap } from '../types';
import { CompiledPolicy, compilePolicy } from './networkPolicy';
import { labelsOf, namespaceOf, str } from './objects';
import { LabelIndex, Labels } from './selectors';
import {
  Workload,
  isControlledPod,
  isWorkloadKind,
  toWorkload,
} from './workloads';

export interface NamespaceInfo {
  name: string;
  /** Includes kubernetes.io/metadata.name, which Kubernetes always sets. */
  labels: Labels;
  /** The Namespace object, when the snapshot has it. */
  object?: KubeObject;
}

export interface PolicySelection {
  /** Valid policies whose podSelector matches the pod. */
  policies: CompiledPolicy[];
  /** Policies of the namespace whose podSelector could not be evaluated. */
  unknown: CompiledPolicy[];
}

/**
 * A gap for an object the model could not be built from (a hostile or
 * broken object): the report names it and the rules that need it cannot
 * pass, while the rest of the federation is evaluated.
 */
function unmodelled(object: KubeObject, error: unknown): SnapshotGap {
  const message = error instanceof Error ? error.message : String(error);
  return {
    kind: object.kind,
    namespace: namespaceOf(object),
    name: object.metadata.name,
    status: 'error',
    reason: `could not be modelled (${message.slice(0, 200)})`,
  };
}

/** `networkpolicies`, `NetworkPolicy` and `networkpolicy` all name one kind. */
export function normalizeKind(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('ies')) return `${lower.slice(0, -3)}y`;
  if (lower.endsWith('sses')) return lower.slice(0, -2);
  if (lower.endsWith('s') && !lower.endsWith('ss')) return lower.slice(0, -1);
  return lower;
}

export class ClusterIndex {
  readonly cluster?: string;
  /** Manifests from files: objects created at deploy time may be missing. */
  readonly offline: boolean;
  /** Other namespaces than the snapshot's may exist (offline, or a partial live list). */
  readonly openNamespaces: boolean;
  readonly gaps: readonly SnapshotGap[];
  readonly namespaces = new Map<string, NamespaceInfo>();
  readonly namespaceIndex = new LabelIndex<NamespaceInfo>(ns => ns.labels);
  readonly workloads: Workload[] = [];
  private readonly workloadsByNs = new Map<string, LabelIndex<Workload>>();
  private readonly policiesByNs = new Map<string, CompiledPolicy[]>();
  private readonly byKind = new Map<string, KubeObject[]>();
  /** kind -> namespace ('' when cluster-scoped) -> name -> object. */
  private readonly byName = new Map<
    string,
    Map<string, Map<string, KubeObject>>
  >();
  private selections?: Map<Workload, PolicySelection>;
  private readonly memos = new Map<string, unknown>();

  constructor(snapshot: ClusterSnapshot) {
    this.cluster = snapshot.cluster;
    this.offline = snapshot.cluster === undefined;
    const gaps = [...(snapshot.gaps ?? [])];
    this.gaps = gaps;
    this.openNamespaces =
      this.offline ||
      snapshot.partialNamespaces === true ||
      gaps.some(gap => normalizeKind(gap.kind) === normalizeKind('Namespace'));
    const objects = (snapshot.objects ?? []).filter(
      o =>
        o && typeof o.kind === 'string' && typeof o.metadata?.name === 'string',
    );
    for (const object of objects) {
      const namespace = namespaceOf(object);
      const list = this.byKind.get(object.kind);
      if (list) list.push(object);
      else this.byKind.set(object.kind, [object]);
      this.put(object, namespace ?? '');
      if (object.kind === 'Namespace')
        this.addNamespace(object.metadata.name, object);
      else if (namespace) this.addNamespace(namespace);
    }
    // Pods and ReplicaSets run by a listed controller are represented by its template.
    let present: Set<string> | undefined;
    for (const object of objects) {
      if (!isWorkloadKind(object.kind)) continue;
      if (object.kind === 'Pod' || object.kind === 'ReplicaSet') {
        present ??= this.presentKeys();
        const controlled =
          object.kind === 'Pod'
            ? isControlledPod(object, present)
            : this.ownedByListedDeployment(object, present);
        if (controlled) continue;
      }
      let workload;
      try {
        workload = toWorkload(object, this.cluster);
      } catch (error) {
        gaps.push(unmodelled(object, error));
        continue;
      }
      if (!workload) continue;
      this.workloads.push(workload);
      this.workloadIndex(workload.namespace).add(workload);
    }
    for (const object of this.ofKind('NetworkPolicy')) {
      let policy;
      try {
        policy = compilePolicy(object, this.cluster);
      } catch (error) {
        // The namespace's policies are then a gap: NET-* say error, never pass.
        gaps.push(unmodelled(object, error));
        continue;
      }
      const list = this.policiesByNs.get(policy.namespace);
      if (list) list.push(policy);
      else this.policiesByNs.set(policy.namespace, [policy]);
    }
  }

  private ownedByListedDeployment(
    object: KubeObject,
    present: Set<string>,
  ): boolean {
    const owners = Array.isArray(object.metadata.ownerReferences)
      ? (object.metadata.ownerReferences as Array<Record<string, unknown>>)
      : [];
    return owners.some(
      owner =>
        owner?.kind === 'Deployment' &&
        present.has(`Deployment/${namespaceOf(object)}/${str(owner.name)}`),
    );
  }

  private addNamespace(name: string, object?: KubeObject): void {
    const existing = this.namespaces.get(name);
    if (existing && (existing.object || !object)) return;
    const info: NamespaceInfo = {
      name,
      labels: {
        ...(object ? labelsOf(object) : {}),
        'kubernetes.io/metadata.name': name,
      },
      object,
    };
    if (existing) {
      // Replace the synthesized entry by the real object (labels matter).
      Object.assign(existing, info);
      return;
    }
    this.namespaces.set(name, info);
    this.namespaceIndex.add(info);
  }

  private workloadIndex(namespace: string): LabelIndex<Workload> {
    let index = this.workloadsByNs.get(namespace);
    if (!index) {
      index = new LabelIndex<Workload>(w => w.podLabels);
      this.workloadsByNs.set(namespace, index);
    }
    return index;
  }

  ofKind(kind: string): KubeObject[] {
    return this.byKind.get(kind) ?? [];
  }

  get(
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    return this.byName
      .get(kind)
      ?.get(namespace ?? '')
      ?.get(name);
  }

  private put(object: KubeObject, namespace: string): void {
    let namespaces = this.byName.get(object.kind);
    if (!namespaces) {
      namespaces = new Map();
      this.byName.set(object.kind, namespaces);
    }
    let names = namespaces.get(namespace);
    if (!names) {
      names = new Map();
      namespaces.set(namespace, names);
    }
    names.set(object.metadata.name, object);
  }

  /** `kind/namespace/name` of every object (for owner lookups). */
  private presentKeys(): Set<string> {
    const keys = new Set<string>();
    for (const [kind, namespaces] of this.byName) {
      for (const [namespace, names] of namespaces) {
        for (const name of names.keys())
          keys.add(`${kind}/${namespace}/${name}`);
      }
    }
    return keys;
  }

  workloadsIn(namespace: string): LabelIndex<Workload> {
    return (
      this.workloadsByNs.get(namespace) ??
      new LabelIndex<Workload>(w => w.podLabels)
    );
  }

  policiesIn(namespace: string): CompiledPolicy[] {
    return this.policiesByNs.get(namespace) ?? [];
  }

  /** Policies selecting a workload's pods (computed once for all workloads). */
  policiesSelecting(workload: Workload): PolicySelection {
    if (!this.selections) {
      this.selections = new Map();
      for (const w of this.workloads)
        this.selections.set(w, { policies: [], unknown: [] });
      for (const [namespace, policies] of this.policiesByNs) {
        const index = this.workloadsIn(namespace);
        for (const policy of policies) {
          const selected = policy.podSelector
            ? index.select(policy.podSelector)
            : index.items();
          for (const w of selected) {
            const selection = this.selections.get(w);
            if (!selection) continue;
            if (policy.podSelector) selection.policies.push(policy);
            else selection.unknown.push(policy);
          }
        }
      }
    }
    return this.selections.get(workload) ?? { policies: [], unknown: [] };
  }

  /**
   * A value derived from this snapshot, computed once (lookup tables of
   * other modules, so rules never scan all objects per workload).
   */
  memo<T>(key: string, compute: () => T): T {
    let value = this.memos.get(key) as T | undefined;
    if (value === undefined) {
      value = compute();
      this.memos.set(key, value);
    }
    return value;
  }

  /** The gap (if any) that explains why an object of this kind may be missing. */
  gapFor(
    kind: string,
    namespace?: string,
    name?: string,
  ): SnapshotGap | undefined {
    const wanted = normalizeKind(kind);
    return this.gaps.find(
      gap =>
        normalizeKind(gap.kind) === wanted &&
        (gap.namespace === undefined ||
          namespace === undefined ||
          gap.namespace === namespace) &&
        (gap.name === undefined || name === undefined || gap.name === name),
    );
  }
}
