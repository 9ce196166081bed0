/**
 * A participant in its own cluster: the same hardened SuperNode as inside the
 * aggregator's cluster, dialling the external host instead of the Service,
 * trusting the CA bundle distributed to the site (not a Secret of the
 * aggregator's PKI, whose issuers do not exist there), with its node-auth key
 * made in the site (siteKeys.ts). Its namespace denies everything but DNS and
 * the aggregator's external addresses on the external port.
 */
import {
  AGGREGATOR_CLUSTER_ANNOTATION,
  CLUSTER_ANNOTATION,
  FederationSpec,
  KUBERNETES_ID_LABEL,
  ParticipantSpec,
  ROLE_LABEL,
} from '@fl-security/plugin-fl-security-common';
import { externalPort } from './clusters';
import { labels, manifest, Manifest } from './meta';
import { NODE_AUTH_DIR, TLS_DIR } from './names';
import { allowDns, defaultDeny } from './network';
import { VAULT_TOKEN_VOLUME } from './pki';
import { NODE_AUTH_CLAIM, nodeAuthClaim, nodeAuthKeygenContainer } from './siteKeys';
import { CA_BUNDLE_KEY, caBundleName } from './trustDistribution';
import { participantWorkloads } from './workloads';

const NETPOL = 'networking.k8s.io/v1';
const CA_VOLUME = 'ca-bundle';
/** Volumes the in-cluster SuperNode gets from the aggregator's PKI or out of band. */
const REPLACED_VOLUMES = new Set(['tls', 'node-auth', VAULT_TOKEN_VOLUME]);

interface Container {
  name: string;
  image: string;
  imagePullPolicy: string;
  securityContext: unknown;
  volumeMounts: { name: string }[];
  [key: string]: unknown;
}

interface PodSpec {
  containers: Container[];
  volumes: { name: string }[];
  [key: string]: unknown;
}

/** The site's SuperNode: ServiceAccount, node-auth claim, Deployment. */
export function siteWorkloads(spec: FederationSpec, participant: ParticipantSpec, partitionId: number): Manifest[] {
  const [serviceAccount, deployment] = participantWorkloads(spec, participant, partitionId);
  const body = deployment.spec as { template: { metadata: Record<string, unknown>; spec: PodSpec } };
  const { template } = body;
  const pod = template.spec;
  const supernode = pod.containers[0];
  supernode.volumeMounts = [
    { name: CA_VOLUME, mountPath: TLS_DIR, readOnly: true },
    { name: 'node-auth', mountPath: NODE_AUTH_DIR, readOnly: true },
    ...supernode.volumeMounts.filter(mount => !REPLACED_VOLUMES.has(mount.name)),
  ] as Container['volumeMounts'];
  const volumes = [
    { name: CA_VOLUME, configMap: { name: caBundleName(spec), items: [{ key: CA_BUNDLE_KEY, path: CA_BUNDLE_KEY }] } },
    { name: 'node-auth', persistentVolumeClaim: { claimName: NODE_AUTH_CLAIM } },
    ...pod.volumes.filter(volume => !REPLACED_VOLUMES.has(volume.name)),
  ];
  const { containers, volumes: _replaced, ...rest } = pod;
  const rebuilt: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) rebuilt[key] = value;
  rebuilt.initContainers = [nodeAuthKeygenContainer(supernode)];
  rebuilt.containers = containers;
  rebuilt.volumes = volumes;
  template.spec = rebuilt as unknown as PodSpec;
  // Vault Agent injection serves the aggregator's cluster only.
  delete template.metadata.annotations;
  deployment.metadata.annotations = {
    // Offline the files carry no cluster: these say the aggregator is elsewhere
    // (NET-04 skips, NET-05 waits for the aggregator's external entry).
    [CLUSTER_ANNOTATION]: participant.cluster!,
    [AGGREGATOR_CLUSTER_ANNOTATION]: spec.aggregator.cluster!,
    // Flower reads the CA at start only: a changed bundle restarts the pod.
    'configmap.reloader.stakater.com/reload': caBundleName(spec),
  };
  return [serviceAccount, nodeAuthClaim(spec, participant), deployment];
}

/** Default deny, DNS, and the external entry on its port: nothing else. */
export function siteNetworkPolicies(spec: FederationSpec, participant: ParticipantSpec): Manifest[] {
  const ns = participant.namespace;
  return [
    defaultDeny(spec, ns),
    allowDns(spec, ns),
    manifest(NETPOL, 'NetworkPolicy', { name: 'allow-fleet-egress', namespace: ns, labels: labels(spec, { role: 'network' }) }, {
      spec: {
        podSelector: { matchLabels: { [KUBERNETES_ID_LABEL]: spec.name, [ROLE_LABEL]: 'participant' } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: (spec.network.externalAddresses ?? []).map(cidr => ({ ipBlock: { cidr } })),
            ports: [{ protocol: 'TCP', port: externalPort(spec) }],
          },
        ],
      },
    }),
  ];
}
