/**
 * Default-deny networking: per FL namespace, deny all ingress and egress,
 * then allow DNS to the cluster DNS pods, participants to the aggregator's
 * fleet port, and the declared ingress path to that same port. Nothing else.
 * External access passes TLS through untouched (it ends in the aggregator
 * pod's fleet gateway, which forwards only the Fleet API to the SuperLink).
 */
import {
  EXTERNAL_ADDRESSES_ANNOTATION,
  EXTERNAL_PORT_ANNOTATION,
  FederationSpec,
  KUBERNETES_ID_LABEL,
  ParticipantSpec,
  ROLE_LABEL,
} from '@fl-security/plugin-fl-security-common';
import { labels, manifest, Manifest, PARTICIPANT_LABEL } from './meta';
import { FLEET_PORT_NAME, SUPERLINK } from './names';
import { externalPort, isCrossSilo, localParticipants } from './clusters';

const NETPOL = 'networking.k8s.io/v1';
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const ISTIO_NAMESPACE = 'istio-system';

function namespacePeer(namespace: string) {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } } };
}

/** Namespace that carries the traffic of the external entry point, if any. */
function entryNamespace(spec: FederationSpec): string | undefined {
  const { network } = spec;
  if (network.exposure === 'ingress-nginx') return network.ingressControllerNamespace;
  if (network.exposure === 'gateway-api') {
    return network.gateway!.dataPlaneNamespace ?? network.gateway!.namespace;
  }
  return undefined;
}

/**
 * Sources besides participants allowed to the fleet port, as written to the
 * fl-security/allowed-sources annotation: `namespace/<name>` and CIDRs.
 */
export function allowedSources(spec: FederationSpec): string[] {
  const entry = entryNamespace(spec);
  return (entry ? [`namespace/${entry}`] : []).concat(spec.network.allowedCidrs);
}

/**
 * Destinations besides the aggregator and DNS a workload may reach, as
 * written to fl-security/allowed-egress: the Vault server for the agent.
 */
export function allowedEgress(spec: FederationSpec): string[] {
  const egress = spec.tls.vault?.egress;
  if (spec.tls.provider !== 'vault-agent' || !egress) return [];
  return [...(egress.namespace ? [`namespace/${egress.namespace}`] : []), ...egress.cidrs];
}

export function defaultDeny(spec: FederationSpec, namespace: string): Manifest {
  return manifest(NETPOL, 'NetworkPolicy', { name: 'default-deny', namespace, labels: labels(spec, { role: 'network' }) }, {
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
}

export function allowDns(spec: FederationSpec, namespace: string): Manifest {
  return manifest(NETPOL, 'NetworkPolicy', { name: 'allow-dns', namespace, labels: labels(spec, { role: 'network' }) }, {
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              ...namespacePeer(spec.network.dnsNamespace),
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    },
  });
}

function allowIstiod(spec: FederationSpec, namespace: string): Manifest[] {
  if (spec.mesh !== 'istio') return [];
  // Sidecars fetch configuration and certificates from istiod (xDS, CA).
  return [
    manifest(NETPOL, 'NetworkPolicy', { name: 'allow-istiod', namespace, labels: labels(spec, { role: 'network' }) }, {
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ ...namespacePeer(ISTIO_NAMESPACE), podSelector: { matchLabels: { app: 'istiod' } } }],
            ports: [{ protocol: 'TCP', port: 15012 }],
          },
        ],
      },
    }),
  ];
}

function vaultPort(spec: FederationSpec): number {
  const match = /:([0-9]+)$/.exec(spec.tls.vault!.server);
  return match ? Number(match[1]) : 443;
}

function allowVault(spec: FederationSpec, namespace: string, podRole: string): Manifest[] {
  const egress = spec.tls.vault?.egress;
  if (spec.tls.provider !== 'vault-agent' || !egress) return [];
  // The Vault Agent sidecar fetches and renews the certificates.
  const to = [
    ...(egress.namespace ? [namespacePeer(egress.namespace)] : []),
    ...egress.cidrs.map(cidr => ({ ipBlock: { cidr } })),
  ];
  return [
    manifest(NETPOL, 'NetworkPolicy', { name: 'allow-vault', namespace, labels: labels(spec, { role: 'network' }) }, {
      spec: {
        podSelector: { matchLabels: { [KUBERNETES_ID_LABEL]: spec.name, [ROLE_LABEL]: podRole } },
        policyTypes: ['Egress'],
        egress: [{ to, ports: [{ protocol: 'TCP', port: vaultPort(spec) }] }],
      },
    }),
  ];
}

function participantPeers(spec: FederationSpec) {
  // Sites in other clusters arrive through the external entry: a namespace
  // peer here would name a namespace of the aggregator's cluster.
  return localParticipants(spec).map(participant => ({
    ...namespacePeer(participant.namespace),
    podSelector: {
      matchLabels: {
        [KUBERNETES_ID_LABEL]: spec.name,
        [ROLE_LABEL]: 'participant',
        [PARTICIPANT_LABEL]: participant.name,
      },
    },
  }));
}

export function aggregatorNetworkPolicies(spec: FederationSpec): Manifest[] {
  const ns = spec.aggregator.namespace;
  // Exactly the declared sources: participants, then allowedSources().
  const from = [
    ...participantPeers(spec),
    ...allowedSources(spec).map(source =>
      source.startsWith('namespace/')
        ? namespacePeer(source.slice('namespace/'.length))
        : { ipBlock: { cidr: source } },
    ),
  ];
  return [
    defaultDeny(spec, ns),
    allowDns(spec, ns),
    ...allowIstiod(spec, ns),
    ...allowVault(spec, ns, 'aggregator'),
    manifest(NETPOL, 'NetworkPolicy', { name: 'allow-fleet-ingress', namespace: ns, labels: labels(spec, { role: 'network' }) }, {
      spec: {
        podSelector: { matchLabels: { [KUBERNETES_ID_LABEL]: spec.name, [ROLE_LABEL]: 'aggregator' } },
        policyTypes: ['Ingress'],
        ingress: [{ from, ports: [{ protocol: 'TCP', port: spec.aggregator.port }] }],
      },
    }),
  ];
}

export function participantNetworkPolicies(spec: FederationSpec, participant: ParticipantSpec): Manifest[] {
  const ns = participant.namespace;
  return [
    defaultDeny(spec, ns),
    allowDns(spec, ns),
    ...allowIstiod(spec, ns),
    ...allowVault(spec, ns, 'participant'),
    manifest(NETPOL, 'NetworkPolicy', { name: 'allow-fleet-egress', namespace: ns, labels: labels(spec, { role: 'network' }) }, {
      spec: {
        podSelector: { matchLabels: { [KUBERNETES_ID_LABEL]: spec.name, [ROLE_LABEL]: 'participant' } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                ...namespacePeer(spec.aggregator.namespace),
                podSelector: { matchLabels: { [KUBERNETES_ID_LABEL]: spec.name, [ROLE_LABEL]: 'aggregator' } },
              },
            ],
            ports: [{ protocol: 'TCP', port: spec.aggregator.port }],
          },
        ],
      },
    }),
  ];
}

/**
 * The external entry sites in other clusters dial (addresses and port), on
 * the exposure: NET-05 judges each site's egress against what the
 * aggregator's cluster says, never against what the site says of itself.
 */
function externalEntryAnnotations(spec: FederationSpec): Record<string, string> {
  if (!isCrossSilo(spec)) return {};
  return {
    [EXTERNAL_ADDRESSES_ANNOTATION]: (spec.network.externalAddresses ?? []).join(','),
    [EXTERNAL_PORT_ANNOTATION]: String(externalPort(spec)),
  };
}

/** Ingress or TLSRoute in passthrough mode: TLS is never terminated there. */
export function exposureObjects(spec: FederationSpec): Manifest[] {
  const { network } = spec;
  const ns = spec.aggregator.namespace;
  const host = network.externalHost;
  const entry = externalEntryAnnotations(spec);
  const meta = { name: SUPERLINK, namespace: ns, labels: labels(spec, { role: 'network' }), annotations: entry };
  if (network.exposure === 'ingress-nginx') {
    return [
      manifest(NETPOL, 'Ingress', {
        ...meta,
        // The controller must run with --enable-ssl-passthrough.
        annotations: { 'nginx.ingress.kubernetes.io/ssl-passthrough': 'true', ...entry },
      }, {
        spec: {
          ingressClassName: network.ingressClassName,
          // No secretName: with passthrough the controller never holds a key.
          tls: [{ hosts: [host] }],
          rules: [
            {
              host,
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name: SUPERLINK, port: { name: FLEET_PORT_NAME } } },
                  },
                ],
              },
            },
          ],
        },
      }),
    ];
  }
  if (network.exposure === 'gateway-api') {
    const gateway = network.gateway!;
    return [
      manifest(`gateway.networking.k8s.io/${gateway.tlsRouteVersion}`, 'TLSRoute', meta, {
        spec: {
          // The Gateway listener must be protocol TLS, mode Passthrough.
          parentRefs: [
            {
              group: 'gateway.networking.k8s.io',
              kind: 'Gateway',
              name: gateway.name,
              namespace: gateway.namespace,
              ...(gateway.sectionName ? { sectionName: gateway.sectionName } : {}),
            },
          ],
          hostnames: [host],
          rules: [{ backendRefs: [{ name: SUPERLINK, port: spec.aggregator.port }] }],
        },
      }),
    ];
  }
  return [];
}
