/**
 * deploy/README.md sections of a federation spanning clusters: the bundles
 * and how to apply them, how a site makes and registers its node key, how
 * the CA reaches the sites and how it is rotated, and the offline checks.
 */
import { FederationSpec, SUPERLINK_LOOPBACK_PORT } from '@fl-security/plugin-fl-security-common';
import { clusterBundleDir } from './clusterBundles';
import { externalPort, localParticipants, siteClusters } from './clusters';
import { caSecretName, SUPERLINK } from './names';
import { NODE_AUTH_CLAIM, NODE_AUTH_KEYGEN } from './siteKeys';
import { caBundleName } from './trustDistribution';

const code = (text: string) => `\`${text}\``;

/** Replaces the single-cluster layout table and apply line. */
export function clusterLayoutSection(spec: FederationSpec): string[] {
  const hub = spec.aggregator.cluster!;
  const local = localParticipants(spec);
  return [
    'The federation spans clusters: one Kustomize bundle per cluster, each applied to its own cluster',
    '(server-side apply recommended). There is no `deploy/kustomization.yaml`: nothing applies every',
    'cluster at once.',
    '',
    '```sh',
    `kubectl --context ${hub} apply --server-side -k ${clusterBundleDir(hub)}`,
    ...siteClusters(spec).map(({ cluster }) => `kubectl --context ${cluster} apply --server-side -k ${clusterBundleDir(cluster)}`),
    '```',
    '',
    '## Layout',
    '',
    '| Path | Contents |',
    '| --- | --- |',
    `| ${code(`${clusterBundleDir(hub)}/`)} | Aggregator cluster: issuers and the portal's cluster reads (\`cluster/\`), namespace \`${spec.aggregator.namespace}\` (\`aggregator/\`: SuperLink, Service, certificate, NetworkPolicies, external entry)${local.length ? `, sites in this cluster (\`participants/\`: ${local.map(p => code(p.name)).join(', ')})` : ''} |`,
    ...siteClusters(spec).map(
      ({ cluster, participants }) =>
        `| ${code(`${clusterBundleDir(cluster)}/`)} | Site cluster \`${cluster}\`: ${participants.map(p => code(p.name)).join(', ')} (\`participants/<site>/\`: namespace, CA bundle, SuperNode, NetworkPolicies, portal read access); ${participants.some(p => p.caDistribution === 'trust-manager') ? 'the trust-manager Bundle and ' : ''}the portal's cluster reads (\`cluster/\`) |`,
    ),
  ];
}

function keySection(spec: FederationSpec): string[] {
  const [{ cluster, participants }] = siteClusters(spec);
  const site = participants[0];
  return [
    '### Node authentication key of a site in another cluster',
    '',
    `Each site makes its own key, in its own cluster: the init container \`${NODE_AUTH_KEYGEN}\` of the SuperNode`,
    `pod creates an EC P-384 key (OpenSSH format) once, on the site's volume \`${NODE_AUTH_CLAIM}\`, and prints`,
    'only the public key on every start. The container has no ServiceAccount token, no network and no',
    'RBAC; the private key is in no repository, no Secret and not in the aggregator\'s cluster. Register it:',
    '',
    `1. Site operator (cluster \`${cluster}\`), after applying the site bundle:`,
    '',
    '   ```sh',
    `   kubectl --context ${cluster} -n ${site.namespace} logs deploy/supernode -c ${NODE_AUTH_KEYGEN} > ${site.name}.pub`,
    `   ssh-keygen -l -f ${site.name}.pub   # fingerprint, to read out to the aggregator operator`,
    '   ```',
    '',
    `2. Send \`${site.name}.pub\` (public, not secret) to the aggregator operator; compare the fingerprint over a`,
    '   second channel (a public key swapped in transit would join in the site\'s name).',
    '3. Aggregator operator, through the forwarded Control API (see "Operating the federation"):',
    '',
    '   ```sh',
    `   kubectl --context ${spec.aggregator.cluster} -n ${spec.aggregator.namespace} port-forward deploy/${SUPERLINK} ${SUPERLINK_LOOPBACK_PORT}:${SUPERLINK_LOOPBACK_PORT}`,
    `   flwr supernode register ${site.name}.pub ${spec.name}`,
    '   ```',
    '',
    'Until its key is registered the SuperLink refuses the SuperNode. Deleting the volume makes a new',
    'identity: register the new public key and unregister the old node (`flwr supernode unregister`).',
  ];
}

function trustSection(spec: FederationSpec): string[] {
  const hub = spec.aggregator.cluster!;
  const count = spec.tls.caBundle?.length ?? 0;
  const caSource =
    spec.tls.provider === 'cert-manager-ca'
      ? [
          '```sh',
          `kubectl --context ${hub} -n ${spec.tls.certManagerNamespace} get secret ${caSecretName(spec)} -o jsonpath='{.data.ca\\.crt}'`,
          '```',
        ]
      : ['Take `ca.crt` (base64, as in the SuperLink\'s TLS Secret) from the issuing CA of `tls.provider`.'];
  return [
    '### CA bundle of the sites',
    '',
    `Sites trust only the CAs listed in \`tls.caBundle\` of \`federation.yaml\` (${count ? `${count} now` : '**none yet: the SuperNodes will not start until it is set**'}): the`,
    `ConfigMap \`${caBundleName(spec)}\` (key \`ca.crt\`) in each site namespace, written by the bundle itself or,`,
    `where the site runs trust-manager (\`caDistribution: trust-manager\`), by the cluster-scoped Bundle`,
    `\`${caBundleName(spec)}\` (CAs inline) into the namespaces labelled \`fl-security/federation: ${spec.name}\`. Only`,
    'public certificates travel; the CA key stays with the aggregator\'s PKI. To fill it:',
    '',
    ...caSource,
    '',
    'Rotation (old and new CA together):',
    '',
    '1. Add the new CA to `tls.caBundle` after the old one, regenerate, apply every site bundle. Reloader',
    `   (\`configmap.reloader.stakater.com/reload: ${caBundleName(spec)}\`) restarts the SuperNodes; they now trust both.`,
    '2. Move the aggregator\'s issuer to the new CA and renew the SuperLink certificate; SuperNodes keep',
    '   connecting throughout, since either CA verifies.',
    '3. Once every certificate the SuperLink serves chains to the new CA, remove the old CA from',
    '   `tls.caBundle`, regenerate and apply the site bundles again.',
  ];
}

/** "## Sites in other clusters": egress, keys, CA, offline checks. */
export function crossSiloSection(spec: FederationSpec): string[] {
  const hub = spec.aggregator.cluster!;
  const sites = siteClusters(spec);
  const addresses = (spec.network.externalAddresses ?? []).map(code).join(', ');
  return [
    '## Sites in other clusters',
    '',
    `SuperNodes outside \`${hub}\` dial \`${spec.network.externalHost}:${externalPort(spec)}\` (SNI and the SuperLink certificate's SAN`,
    `\`${spec.network.externalHost}\`); TLS still ends in the aggregator pod. Their namespaces deny everything but DNS and`,
    `TCP ${externalPort(spec)} to the external entry's addresses ${addresses} (the exposure's`,
    `\`fl-security/external-addresses\` and \`fl-security/external-port\`, what NET-05 checks each site against).`,
    '',
    ...keySection(spec),
    '',
    ...trustSection(spec),
    '',
    '### Offline checks per bundle',
    '',
    '```sh',
    `fl-security check ${clusterBundleDir(hub)}`,
    ...sites.map(({ cluster }) => `fl-security check ${clusterBundleDir(cluster)}`),
    ...sites.map(({ cluster }) => `fl-security check ${clusterBundleDir(hub)} ${clusterBundleDir(cluster)}`),
    '```',
    '',
    'A site bundle holds no aggregator: alone, NET-04 (who can reach the aggregator) and NET-05 (is the site\'s',
    `egress only the external entry) skip, since its SuperNodes name \`${hub}\` as the aggregator's cluster`,
    '(`fl-security/aggregator-cluster`); next to the aggregator bundle they are judged.',
  ];
}
