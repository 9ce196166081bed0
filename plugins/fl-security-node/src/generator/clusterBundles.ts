/**
 * One Kustomize bundle per cluster, `deploy/clusters/<cluster>/`, when a
 * participant runs in another cluster than the aggregator. The aggregator's
 * bundle is the single-cluster tree minus the remote sites; each site
 * cluster's bundle holds its participants (namespace, CA bundle, SuperNode,
 * NetworkPolicies, the portal's read access) and, if it runs trust-manager,
 * the Bundle. There is no deploy/kustomization.yaml: each bundle is applied
 * to its own cluster (`kubectl --context <cluster> apply -k ...`).
 */
import { FederationSpec, ParticipantSpec } from '@fl-security/plugin-fl-security-common';
import { localParticipants, siteClusters } from './clusters';
import { aggregatorBundle, DEPLOY_DIR, Folder, Layout, nonEmpty, renderBundle } from './layout';
import { Manifest } from './meta';
import { namespaceObject } from './namespaces';
import { portalClusterAccess, portalNamespaceAccess } from './rbac';
import { siteNetworkPolicies, siteWorkloads } from './sites';
import { siteCaConfigMap, trustManagerBundle } from './trustDistribution';

export const CLUSTERS_DIR = `${DEPLOY_DIR}/clusters`;

export function clusterBundleDir(cluster: string): string {
  return `${CLUSTERS_DIR}/${cluster}`;
}

function siteBundle(spec: FederationSpec, cluster: string, participants: ParticipantSpec[]): Layout {
  const root = clusterBundleDir(cluster);
  const bundles = trustManagerBundle(spec, participants);
  const top: Folder = {
    dir: `${root}/cluster`,
    files: nonEmpty([
      { name: 'trust.yaml', objects: bundles },
      {
        name: 'portal-access.yaml',
        objects: portalClusterAccess(
          spec,
          participants.map(participant => participant.namespace),
          [],
          bundles.map(bundle => bundle.metadata.name),
        ),
      },
    ]),
  };
  const folders: Folder[] = participants.map(participant => ({
    dir: `${root}/participants/${participant.name}`,
    files: nonEmpty([
      {
        name: 'namespace.yaml',
        objects: [namespaceObject(spec, participant.namespace, 'participant', participant.name)],
      },
      { name: 'trust.yaml', objects: siteCaConfigMap(spec, participant) },
      {
        name: 'supernode.yaml',
        objects: siteWorkloads(spec, participant, spec.participants.indexOf(participant)),
      },
      { name: 'network-policies.yaml', objects: siteNetworkPolicies(spec, participant) },
      // No TLS Secret in a site: the CA bundle is a ConfigMap the Role reads.
      { name: 'portal-access.yaml', objects: portalNamespaceAccess(spec, participant.namespace, []) },
    ]),
  }));
  return renderBundle(root, [top], folders);
}

/** Every cluster's bundle; the aggregator's first, then sites by name. */
export function renderClusterBundles(spec: FederationSpec): Layout {
  const layouts = [
    aggregatorBundle(spec, clusterBundleDir(spec.aggregator.cluster!), localParticipants(spec)),
    ...siteClusters(spec).map(({ cluster, participants }) => siteBundle(spec, cluster, participants)),
  ];
  return {
    files: layouts.flatMap(layout => layout.files),
    objects: layouts.flatMap(layout => layout.objects) as Manifest[],
  };
}
