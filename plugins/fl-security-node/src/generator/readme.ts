/** deploy/README.md: how the generated tree is laid out and operated. */
import {
  FederationSpec,
  federationEntityRef,
  FLOWER_VERSION,
  READER_RULES,
  RULES,
  SUPERLINK_LOOPBACK_PORT,
} from '@fl-security/plugin-fl-security-common';
import { flowerProcesses, FlowerProcess } from './flower';
import { FLEET_GATEWAY_CONFIG_PATH } from './gateway';
import {
  CA_FILE,
  CERT_FILE,
  FLEET_GATEWAY,
  KEY_FILE,
  NODE_AUTH_KEY_FILE,
  NODE_AUTH_SECRET,
  NODE_AUTH_SECRET_KEY,
  STATE_DIR,
  SUPERLINK,
  SUPERLINK_TLS_SECRET,
  superlinkDnsNames,
  superlinkServiceHost,
  SUPERNODE_TLS_SECRET,
} from './names';
import { allowedSources } from './network';
import { isCrossSilo, localParticipants } from './clusters';
import { clusterLayoutSection, crossSiloSection } from './readmeClusters';

function commandLine(process: FlowerProcess): string {
  return [...process.command, ...process.args]
    .map(part => (part.includes(' ') ? `'${part}'` : part))
    .join(' ');
}

function pkiSection(spec: FederationSpec): string[] {
  const vault = spec.tls.vault;
  switch (spec.tls.provider) {
    case 'cert-manager-ca':
      return [
        `cert-manager issues every certificate from the ClusterIssuer \`${spec.name}-ca\`, a CA whose`,
        `key lives in the Secret \`${spec.name}-ca\` in \`${spec.tls.certManagerNamespace}\` (bootstrapped by the`,
        `self-signed ClusterIssuer \`${spec.name}-selfsigned\`). Requires cert-manager.`,
      ];
    case 'cert-manager-vault':
      return [
        `cert-manager signs through Vault (${vault!.server}, \`${vault!.pkiMount}/sign/${vault!.role}\`) with the`,
        `ClusterIssuer \`${spec.name}-vault\`, authenticating as the ServiceAccount \`${spec.name}-vault-issuer\``,
        `(Vault Kubernetes auth role \`${vault!.authRole}\`).`,
      ];
    case 'cert-manager-issuer':
      return [
        `cert-manager issues from the existing ${spec.tls.issuer!.kind} \`${spec.tls.issuer!.name}\`. It must be a CA-type`,
        'issuer that writes `ca.crt` (participants trust that CA); an `Issuer` must exist in every FL namespace.',
      ];
    case 'vault-pki-secret':
      return [
        `The Vault Secrets Operator writes the certificate Secrets from \`${vault!.pkiMount}/issue/${vault!.role}\``,
        `(VaultPKISecret, VaultAuth and VaultConnection \`fl-security\` per namespace, auth role \`${vault!.authRole}\`)`,
        'and restarts the Deployment after each renewal.',
      ];
    default:
      return [
        `The Vault Agent injector writes tls.crt, tls.key and ca.crt from \`${vault!.pkiMount}/issue/${vault!.role}\``,
        'into the TLS directory before Flower starts (Vault auth role bound to the ServiceAccounts `superlink`',
        'and `supernode`). Flower reads certificates at start only: restart the pods after a renewal.',
      ];
  }
}

function exposureSection(spec: FederationSpec): string[] {
  const { network } = spec;
  if (network.exposure === 'ingress-nginx') {
    return [
      `External participants dial \`${network.externalHost}:443\`. The Ingress uses ingress-nginx SSL`,
      'passthrough: the controller must run with `--enable-ssl-passthrough`; it forwards the TLS stream',
      'unopened, so TLS still ends in the SuperLink pod (its fleet gateway).',
    ];
  }
  if (network.exposure === 'gateway-api') {
    const gateway = network.gateway!;
    return [
      `External participants dial \`${network.externalHost}\` through the Gateway \`${gateway.namespace}/${gateway.name}\`.`,
      'Its listener must use protocol TLS with `tls.mode: Passthrough` and allow routes from the',
      `aggregator namespace; the TLSRoute (${gateway.tlsRouteVersion}) forwards the stream unopened.`,
    ];
  }
  return ['The SuperLink is reachable inside the cluster only.'];
}

/**
 * One section per rule, headed by the bare rule id: the portal's FL Security
 * tab links each result to `deploy/README.md#<rule id in lower case>`.
 */
function securityChecksSection(): string[] {
  return [
    '## Security checks',
    '',
    'The portal (FL Security tab) and `fl-security check` evaluate these rules; each result links to its',
    'section here. This tree passes them as generated: a failing rule means the cluster differs from it.',
    '',
    // SCOPE-01 is the portal's own (what it may read), never offline.
    ...[...RULES, ...READER_RULES].flatMap(rule => [
      `### ${rule.id}`,
      '',
      `**${rule.title}** (severity ${rule.severity})`,
      '',
      `Why: ${rule.rationale}`,
      '',
      `How to fix: ${rule.remediation}`,
      '',
    ]),
  ];
}

function singleClusterLayout(spec: FederationSpec): string[] {
  return [
    'Apply with `kubectl apply -k deploy/` (server-side apply recommended).',
    '',
    '## Layout',
    '',
    '| Path | Contents |',
    '| --- | --- |',
    '| `deploy/kustomization.yaml` | Everything below |',
    '| `deploy/cluster/` | Cluster-scoped issuers (`pki.yaml`) and the portal\'s read access (`portal-access.yaml`) |',
    `| \`deploy/aggregator/\` | Namespace \`${spec.aggregator.namespace}\`: SuperLink, Service, certificate, NetworkPolicies, external entry |`,
    '| `deploy/participants/<site>/` | One namespace per site: SuperNode, certificate, NetworkPolicies |',
  ];
}

export function renderReadme(spec: FederationSpec): string {
  const processes = flowerProcesses(spec);
  const ns = spec.aggregator.namespace;
  const first = spec.participants[0];
  const crossSilo = isCrossSilo(spec);
  // Out-of-band keys serve sites in the aggregator's cluster; sites in other
  // clusters make theirs in the site (crossSiloSection).
  const identityFirst = localParticipants(spec)[0];
  const lines = [
    `# Federation \`${spec.name}\`: deployment`,
    '',
    `Generated by \`fl-security generate\` for Flower ${FLOWER_VERSION} from \`federation.yaml\`. Do not edit`,
    'by hand: change `federation.yaml` and run `fl-security generate --spec federation.yaml --out .`.',
    ...(crossSilo ? clusterLayoutSection(spec) : singleClusterLayout(spec)),
    '',
    'Every object is labelled `backstage.io/kubernetes-id` and `fl-security/role`; every namespace',
    'enforces the `restricted` Pod Security Standard and starts from a default-deny NetworkPolicy.',
    '',
    '## Portal access',
    '',
    `Every namespace is bound to the catalog entity \`${federationEntityRef(spec)}\`: label`,
    `\`fl-security/federation: ${spec.name}\` and annotation \`fl-security/entity-ref\`. The FL Security`,
    'portal reads a namespace for an entity only when both name it, so another catalog entity cannot',
    'point the portal at these namespaces. Keep the binding when you edit the Namespaces; if the entity',
    'is renamed or moved, set `portal.entityRef` in `federation.yaml` and regenerate. The portal reads',
    `with the ServiceAccount \`${spec.portal.serviceAccount.namespace}/${spec.portal.serviceAccount.name}\` through the Roles in \`portal-access.yaml\``,
    '(read-only; TLS Secrets by name only).',
    '',
    '## Certificates',
    '',
    ...pkiSection(spec),
    '',
    `SuperLink certificate (Secret \`${SUPERLINK_TLS_SECRET}\`): DNS names ${superlinkDnsNames(spec)
      .map(name => `\`${name}\``)
      .join(', ')} and IP 127.0.0.1`,
    '(the SuperLink\'s own ServerApp runner dials it on loopback). Each site gets a client certificate',
    `(Secret \`${SUPERNODE_TLS_SECRET}\`, usage client auth) for meshes and sidecars; Flower itself only`,
    'uses its `ca.crt`.',
    '',
    '## Files inside the pods',
    '',
    '| Path | What |',
    '| --- | --- |',
    `| \`${CA_FILE}\` | CA that signed the SuperLink certificate |`,
    `| \`${CERT_FILE}\`, \`${KEY_FILE}\` | SuperLink certificate and key (aggregator only) |`,
    `| \`${NODE_AUTH_KEY_FILE}\` | SuperNode authentication key (participants only) |`,
    `| \`${STATE_DIR}\` | SuperLink state (PersistentVolumeClaim) / Flower home |`,
    `| \`${FLEET_GATEWAY_CONFIG_PATH}\` | Fleet gateway configuration (aggregator only) |`,
    '',
    '## Flower command lines',
    '',
    'Aggregator (SuperLink):',
    '',
    '```',
    commandLine(processes.aggregator),
    '```',
    '',
    `Participant \`${first.name}\` (SuperNode; the others differ only in \`partition-id\`):`,
    '',
    '```',
    commandLine(processes.participants[0]),
    '```',
    '',
    `Fleet gateway (container \`${FLEET_GATEWAY}\` in the SuperLink pod, configuration in the ConfigMap`,
    `\`${FLEET_GATEWAY}\`; addresses from its environment):`,
    '',
    '```',
    commandLine(processes.fleetGateway),
    '```',
    '',
    `In Flower ${FLOWER_VERSION} the SuperLink serves its Fleet, Control and Runtime APIs on one listener,`,
    'and the Control API (node registration, runs) has no authentication. So the SuperLink listens on',
    `\`127.0.0.1:${SUPERLINK_LOOPBACK_PORT}\` only, and the fleet gateway owns port ${spec.aggregator.port}: it terminates TLS with the`,
    'SuperLink certificate (inside the aggregator pod), forwards only `POST` requests to the Fleet API',
    'paths over TLS to the SuperLink, and answers 403 to everything else. The Service exposes only that',
    'port and the NetworkPolicies admit only the participants and the declared entry path. The',
    "SuperNode's Runtime API stays on 127.0.0.1 in its own pod.",
    '',
    '## Operating the federation (Control API)',
    '',
    'The Control API is reachable only from inside the aggregator pod. Forward it to your machine (access',
    `is governed by Kubernetes RBAC: \`pods/portforward\` in \`${ns}\`) and point \`flwr\` at it with the federation CA:`,
    '',
    '```sh',
    `kubectl -n ${ns} port-forward deploy/${SUPERLINK} ${SUPERLINK_LOOPBACK_PORT}:${SUPERLINK_LOOPBACK_PORT}`,
    '```',
    '',
    '```toml',
    '# $FLWR_HOME/config.toml (default ~/.flwr/config.toml)',
    `[superlink.${spec.name}]`,
    `address = "127.0.0.1:${SUPERLINK_LOOPBACK_PORT}"`,
    'root-certificates = "ca.crt"   # the federation CA (ca.crt of any federation TLS Secret)',
    '```',
    '',
    ...(identityFirst
      ? [
        '## Participant identity (node authentication)',
        '',
        'The SuperLink runs with `--enable-supernode-auth`: only registered SuperNode keys may join. For each',
        `${crossSilo ? "site in the aggregator's cluster" : 'site'}, create a key where the site runs (never commit it), store it, and register the public key`,
        'through the forwarded Control API:',
        '',
        '```sh',
        `ssh-keygen -t ecdsa -b 384 -N "" -f ${identityFirst.name}.key`,
        `kubectl -n ${identityFirst.namespace} create secret generic ${NODE_AUTH_SECRET} --from-file=${NODE_AUTH_SECRET_KEY}=${identityFirst.name}.key`,
        `flwr supernode register ${identityFirst.name}.key.pub ${spec.name}`,
        '```',
        '',
        ]
      : []),
    '## Network',
    '',
    `Participants dial \`${superlinkServiceHost(spec)}:${spec.aggregator.port}\` inside the cluster.`,
    ...exposureSection(spec),
    '',
    `Allowed sources besides participants (annotation \`fl-security/allowed-sources\`): ${
      allowedSources(spec).length ? allowedSources(spec).map(s => `\`${s}\``).join(', ') : 'none'
    }.`,
    '',
    ...(crossSilo ? [...crossSiloSection(spec), ''] : []),
    '## Certificate rotation',
    '',
    'Flower reads certificates at start only. The Deployments carry the Stakater Reloader annotation',
    '`secret.reloader.stakater.com/reload` (install Reloader) so a renewed Secret restarts them.',
    '',
    ...securityChecksSection(),
  ];
  return lines.join('\n');
}
