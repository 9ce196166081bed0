/**
 * Dedicated namespaces, each enforcing the `restricted` Pod Security
 * Standard and bound to the federation's catalog entity: the portal reads a
 * namespace for an entity only when its Namespace object names that entity
 * (label fl-security/federation + annotation fl-security/entity-ref).
 */
import {
  FederationSpec,
  federationEntityRef,
  NAMESPACE_ENTITY_ANNOTATION,
  NAMESPACE_FEDERATION_LABEL,
} from '@fl-security/plugin-fl-security-common';
import { labels, manifest, Manifest } from './meta';

export function namespaceObject(
  spec: FederationSpec,
  name: string,
  role: 'aggregator' | 'participant',
  participant?: string,
): Manifest {
  const namespaceLabels: Record<string, string> = {
    ...labels(spec, { role, participant }),
    [NAMESPACE_FEDERATION_LABEL]: spec.name,
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/warn': 'restricted',
  };
  if (spec.mesh === 'istio') namespaceLabels['istio-injection'] = 'enabled';
  return manifest('v1', 'Namespace', {
    name,
    labels: namespaceLabels,
    annotations: { [NAMESPACE_ENTITY_ANNOTATION]: federationEntityRef(spec) },
  });
}
