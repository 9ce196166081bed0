/** Dedicated namespaces, each enforcing the `restricted` Pod Security Standard. */
import { FederationSpec } from '@fl-security/plugin-fl-security-common';
import { labels, manifest, Manifest } from './meta';

export function namespaceObject(
  spec: FederationSpec,
  name: string,
  role: 'aggregator' | 'participant',
  participant?: string,
): Manifest {
  const namespaceLabels: Record<string, string> = {
    ...labels(spec, { role, participant }),
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/warn': 'restricted',
  };
  if (spec.mesh === 'istio') namespaceLabels['istio-injection'] = 'enabled';
  return manifest('v1', 'Namespace', { name, labels: namespaceLabels });
}
