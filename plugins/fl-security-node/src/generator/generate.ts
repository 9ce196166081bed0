/**
 * The pure generator: a validated FederationSpec in, the files of a secured
 * FL repository out. No I/O, no clock, no randomness: same spec, same bytes.
 */
import {
  FederationSpec,
  FL_SECURITY_CLUSTERS_ANNOTATION,
  FL_SECURITY_NAMESPACES_ANNOTATION,
  FLOWER_VERSION,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  ParticipantSpec,
  SpecValidationResult,
  validateFederationSpec,
} from '@fl-security/plugin-fl-security-common';
import { GeneratedFile, renderDeployTree } from './layout';
import { isCrossSilo, isRemoteParticipant, siteClusters } from './clusters';
import { renderClusterBundles } from './clusterBundles';
import { Manifest } from './meta';
import { renderReadme } from './readme';
import { commentBlock, toYaml, withStringCache } from './yaml';

/** The normalized spec, written next to deploy/ so the tree can be regenerated. */
export const SPEC_FILE = 'federation.yaml';

export interface GeneratedProject {
  spec: FederationSpec;
  /** Sorted by path. */
  files: GeneratedFile[];
  /** Every Kubernetes object in deploy/, in file order. */
  objects: Manifest[];
  /** Catalog entity annotations for the project's component. */
  annotations: Record<string, string>;
}

function byPath(a: GeneratedFile, b: GeneratedFile) {
  // Code-unit order, not locale order: the same on every machine.
  if (a.path === b.path) return 0;
  return a.path < b.path ? -1 : 1;
}

export function entityAnnotations(spec: FederationSpec): Record<string, string> {
  if (isCrossSilo(spec)) return crossSiloAnnotations(spec);
  return {
    [KUBERNETES_ID_ANNOTATION]: spec.name,
    // The Kubernetes plugin's tab shows the aggregator namespace.
    [KUBERNETES_NAMESPACE_ANNOTATION]: spec.aggregator.namespace,
    // The compliance scan reads every namespace of the federation; the
    // portal's RBAC cannot list namespaces cluster-wide to find them.
    [FL_SECURITY_NAMESPACES_ANNOTATION]: [
      spec.aggregator.namespace,
      ...spec.participants.map(participant => participant.namespace),
    ].join(','),
  };
}

/**
 * Every cluster, and each namespace as `cluster/namespace`: read in its own
 * cluster only, where that cluster's bundle grants the portal access. No
 * backstage.io/kubernetes-namespace: it would ask every cluster for the
 * aggregator's namespace.
 */
function crossSiloAnnotations(spec: FederationSpec): Record<string, string> {
  const hub = spec.aggregator.cluster!;
  const clusterOf = (participant: ParticipantSpec) =>
    isRemoteParticipant(spec, participant) ? participant.cluster! : hub;
  return {
    [KUBERNETES_ID_ANNOTATION]: spec.name,
    [FL_SECURITY_CLUSTERS_ANNOTATION]: [hub, ...siteClusters(spec).map(site => site.cluster)].join(','),
    [FL_SECURITY_NAMESPACES_ANNOTATION]: [
      `${hub}/${spec.aggregator.namespace}`,
      ...spec.participants.map(participant => `${clusterOf(participant)}/${participant.namespace}`),
    ].join(','),
  };
}

export function generateFederationProject(spec: FederationSpec): GeneratedProject {
  return withStringCache(() => generateProject(spec));
}

function generateProject(spec: FederationSpec): GeneratedProject {
  const tree = isCrossSilo(spec) ? renderClusterBundles(spec) : renderDeployTree(spec);
  const specFile: GeneratedFile = {
    path: SPEC_FILE,
    content: `${commentBlock(
      `Federation spec (normalized) for fl-security generate, Flower ${FLOWER_VERSION}.\nRegenerate deploy/ with: fl-security generate --spec ${SPEC_FILE} --out .`,
    )}${toYaml(spec)}`,
  };
  const readme: GeneratedFile = { path: 'deploy/README.md', content: renderReadme(spec) };
  return {
    spec,
    files: [specFile, readme, ...tree.files].sort(byPath),
    objects: tree.objects,
    annotations: entityAnnotations(spec),
  };
}

export type GenerateFromInputResult =
  | ({ ok: true } & GeneratedProject)
  | Extract<SpecValidationResult, { ok: false }>;

/** Validates untrusted input, then generates. Nothing is generated on error. */
export function generateFromInput(input: unknown): GenerateFromInputResult {
  const validation = validateFederationSpec(input);
  if (!validation.ok) return validation;
  return { ok: true, ...generateFederationProject(validation.spec) };
}
