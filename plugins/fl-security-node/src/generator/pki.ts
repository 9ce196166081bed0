/**
 * Certificates and their issuers: cert-manager (bootstrap CA chain, Vault
 * issuer or an existing issuer), the Vault Secrets Operator, or the Vault
 * Agent injector. Every variant lands the same three files (ca.crt, tls.crt,
 * tls.key) in TLS_DIR, so the Flower flags never change.
 */
import {
  CERT_MANAGER_TLS_PROVIDERS,
  FederationSpec,
  ParticipantSpec,
} from '@fl-security/plugin-fl-security-common';
import { labels, manifest, Manifest } from './meta';
import {
  caIssuerName,
  caSecretName,
  FLOWER_UID,
  participantCommonName,
  participantSpiffeId,
  selfSignedIssuerName,
  SUPERLINK,
  SUPERLINK_IP_SANS,
  SUPERLINK_TLS_SECRET,
  superlinkDnsNames,
  superlinkServiceHost,
  SUPERNODE,
  SUPERNODE_TLS_SECRET,
  TLS_DIR,
  VAULT_AUTH,
  VAULT_AUTH_SERVICE_ACCOUNT,
  vaultIssuerName,
  vaultIssuerServiceAccount,
} from './names';

const CERT_MANAGER = 'cert-manager.io/v1';
export const VAULT_TOKEN_VOLUME = 'vault-token';
const VSO = 'secrets.hashicorp.com/v1beta1';
/** The bootstrap CA outlives its leaves; rotating it means re-trusting. */
const CA_DURATION = '43800h';
const CA_RENEW_BEFORE = '8760h';

export function usesCertManager(spec: FederationSpec): boolean {
  return CERT_MANAGER_TLS_PROVIDERS.includes(spec.tls.provider);
}

/** The Secret a workload's certificate lives in, if the PKI writes one. */
export function tlsSecretName(
  spec: FederationSpec,
  role: 'aggregator' | 'participant',
): string | undefined {
  if (spec.tls.provider === 'vault-agent') return undefined;
  return role === 'aggregator' ? SUPERLINK_TLS_SECRET : SUPERNODE_TLS_SECRET;
}

function issuerRef(spec: FederationSpec) {
  switch (spec.tls.provider) {
    case 'cert-manager-ca':
      return { name: caIssuerName(spec), kind: 'ClusterIssuer', group: 'cert-manager.io' };
    case 'cert-manager-vault':
      return { name: vaultIssuerName(spec), kind: 'ClusterIssuer', group: 'cert-manager.io' };
    default:
      return {
        name: spec.tls.issuer!.name,
        kind: spec.tls.issuer!.kind,
        group: 'cert-manager.io',
      };
  }
}

function privateKey(spec: FederationSpec) {
  return {
    algorithm: spec.tls.keyAlgorithm,
    size: spec.tls.keySize,
    // A new key on every renewal: a leaked key dies with its certificate.
    rotationPolicy: 'Always',
  };
}

function keyUsages(spec: FederationSpec, purpose: 'server auth' | 'client auth') {
  const usages = [purpose, 'digital signature'];
  // RSA key exchange needs key encipherment; ECDSA keys must not claim it.
  if (spec.tls.keyAlgorithm === 'RSA') usages.push('key encipherment');
  return usages;
}

/** Cluster-scoped issuers (and the bootstrap CA) shared by all namespaces. */
export function clusterPkiObjects(spec: FederationSpec): Manifest[] {
  const pkiLabels = () => labels(spec, { role: 'pki' });
  const ns = spec.tls.certManagerNamespace;
  if (spec.tls.provider === 'cert-manager-ca') {
    return [
      manifest(CERT_MANAGER, 'ClusterIssuer', { name: selfSignedIssuerName(spec), labels: pkiLabels() }, {
        spec: { selfSigned: {} },
      }),
      manifest(CERT_MANAGER, 'Certificate', { name: caSecretName(spec), namespace: ns, labels: pkiLabels() }, {
        spec: {
          isCA: true,
          commonName: `${spec.name} federation CA`,
          secretName: caSecretName(spec),
          secretTemplate: { labels: pkiLabels() },
          duration: CA_DURATION,
          renewBefore: CA_RENEW_BEFORE,
          privateKey: { algorithm: 'ECDSA', size: 384, rotationPolicy: 'Always' },
          usages: ['cert sign', 'crl sign', 'digital signature'],
          issuerRef: { name: selfSignedIssuerName(spec), kind: 'ClusterIssuer', group: 'cert-manager.io' },
        },
      }),
      manifest(CERT_MANAGER, 'ClusterIssuer', { name: caIssuerName(spec), labels: pkiLabels() }, {
        spec: { ca: { secretName: caSecretName(spec) } },
      }),
    ];
  }
  if (spec.tls.provider === 'cert-manager-vault') {
    const vault = spec.tls.vault!;
    const sa = vaultIssuerServiceAccount(spec);
    const vaultSpec: Record<string, unknown> = {
      server: vault.server,
      path: `${vault.pkiMount}/sign/${vault.role}`,
    };
    if (vault.caBundleSecret) {
      vaultSpec.caBundleSecretRef = { name: vault.caBundleSecret, key: 'ca.crt' };
    }
    vaultSpec.auth = {
      kubernetes: {
        mountPath: `/v1/auth/${vault.authMount}`,
        role: vault.authRole,
        serviceAccountRef: { name: sa },
      },
    };
    return [
      manifest('v1', 'ServiceAccount', { name: sa, namespace: ns, labels: pkiLabels() }, {
        automountServiceAccountToken: false,
      }),
      // cert-manager requests short-lived tokens for this one ServiceAccount.
      manifest('rbac.authorization.k8s.io/v1', 'Role', { name: sa, namespace: ns, labels: pkiLabels() }, {
        rules: [
          {
            apiGroups: [''],
            resources: ['serviceaccounts/token'],
            resourceNames: [sa],
            verbs: ['create'],
          },
        ],
      }),
      manifest('rbac.authorization.k8s.io/v1', 'RoleBinding', { name: sa, namespace: ns, labels: pkiLabels() }, {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: sa },
        subjects: [{ kind: 'ServiceAccount', name: 'cert-manager', namespace: ns }],
      }),
      manifest(CERT_MANAGER, 'ClusterIssuer', { name: vaultIssuerName(spec), labels: pkiLabels() }, {
        spec: { vault: vaultSpec },
      }),
    ];
  }
  return [];
}

function certificate(
  spec: FederationSpec,
  namespace: string,
  name: string,
  ownerLabels: Record<string, string>,
  names: Record<string, unknown>,
  purpose: 'server auth' | 'client auth',
): Manifest {
  return manifest(CERT_MANAGER, 'Certificate', { name, namespace, labels: labels(spec, { role: 'pki', participant: ownerLabels['fl-security/participant'] }) }, {
    spec: {
      secretName: name,
      // The Secret carries the federation labels too (portal, policies).
      secretTemplate: { labels: ownerLabels },
      ...names,
      duration: spec.tls.duration,
      renewBefore: spec.tls.renewBefore,
      privateKey: privateKey(spec),
      usages: keyUsages(spec, purpose),
      issuerRef: issuerRef(spec),
    },
  });
}

function vaultConnectionObjects(spec: FederationSpec, namespace: string, roleLabels: Record<string, string>): Manifest[] {
  const vault = spec.tls.vault!;
  return [
    manifest('v1', 'ServiceAccount', { name: VAULT_AUTH_SERVICE_ACCOUNT, namespace, labels: roleLabels }, {
      automountServiceAccountToken: false,
    }),
    manifest(VSO, 'VaultConnection', { name: VAULT_AUTH, namespace, labels: roleLabels }, {
      spec: { address: vault.server, skipTLSVerify: false },
    }),
    manifest(VSO, 'VaultAuth', { name: VAULT_AUTH, namespace, labels: roleLabels }, {
      spec: {
        vaultConnectionRef: VAULT_AUTH,
        method: 'kubernetes',
        mount: vault.authMount,
        kubernetes: { role: vault.authRole, serviceAccount: VAULT_AUTH_SERVICE_ACCOUNT },
      },
    }),
  ];
}

function vaultPkiSecret(
  spec: FederationSpec,
  namespace: string,
  name: string,
  ownerLabels: Record<string, string>,
  names: { commonName: string; altNames?: string[]; ipSans?: string[]; uriSans?: string[] },
  restartTarget: string,
): Manifest {
  const vault = spec.tls.vault!;
  return manifest(VSO, 'VaultPKISecret', { name, namespace, labels: labels(spec, { role: 'pki', participant: ownerLabels['fl-security/participant'] }) }, {
    spec: {
      vaultAuthRef: VAULT_AUTH,
      mount: vault.pkiMount,
      role: vault.role,
      ...names,
      ttl: spec.tls.duration,
      expiryOffset: spec.tls.renewBefore,
      format: 'pem',
      destination: { name, create: true, type: 'kubernetes.io/tls', labels: ownerLabels },
      // Flower reads certificates at start only: restart on every renewal.
      rolloutRestartTargets: [{ kind: 'Deployment', name: restartTarget }],
    },
  });
}

export function aggregatorPkiObjects(spec: FederationSpec): Manifest[] {
  const ns = spec.aggregator.namespace;
  const owner = labels(spec, { role: 'pki' });
  const [commonName, ...altNames] = superlinkDnsNames(spec);
  if (usesCertManager(spec)) {
    return [
      certificate(spec, ns, SUPERLINK_TLS_SECRET, owner, {
        commonName,
        dnsNames: superlinkDnsNames(spec),
        ipAddresses: SUPERLINK_IP_SANS,
      }, 'server auth'),
    ];
  }
  if (spec.tls.provider === 'vault-pki-secret') {
    return [
      ...vaultConnectionObjects(spec, ns, labels(spec, { role: 'pki' })),
      vaultPkiSecret(spec, ns, SUPERLINK_TLS_SECRET, owner, {
        commonName,
        altNames,
        ipSans: SUPERLINK_IP_SANS,
      }, SUPERLINK),
    ];
  }
  return [];
}

export function participantPkiObjects(spec: FederationSpec, participant: ParticipantSpec): Manifest[] {
  const ns = participant.namespace;
  const owner = labels(spec, { role: 'pki', participant: participant.name });
  const commonName = participantCommonName(spec, participant.name);
  const uri = participantSpiffeId(spec, ns);
  if (usesCertManager(spec)) {
    return [
      certificate(spec, ns, SUPERNODE_TLS_SECRET, owner, { commonName, uris: [uri] }, 'client auth'),
    ];
  }
  if (spec.tls.provider === 'vault-pki-secret') {
    return [
      ...vaultConnectionObjects(spec, ns, labels(spec, { role: 'pki', participant: participant.name })),
      vaultPkiSecret(spec, ns, SUPERNODE_TLS_SECRET, owner, { commonName, uriSans: [uri] }, SUPERNODE),
    ];
  }
  return [];
}

/**
 * Vault Agent injector annotations: the agent writes tls.crt, tls.key and
 * ca.crt into TLS_DIR (owned by the Flower user) before Flower starts.
 */
export function vaultAgentAnnotations(
  spec: FederationSpec,
  role: 'aggregator' | 'participant',
  participant?: ParticipantSpec,
): Record<string, string> {
  if (spec.tls.provider !== 'vault-agent') return {};
  const vault = spec.tls.vault!;
  const issuePath = `${vault.pkiMount}/issue/${vault.role}`;
  const params =
    role === 'aggregator'
      ? [
          `common_name=${superlinkServiceHost(spec)}`,
          `alt_names=${superlinkDnsNames(spec).slice(1).join(',')}`,
          `ip_sans=${SUPERLINK_IP_SANS.join(',')}`,
        ]
      : [
          `common_name=${participantCommonName(spec, participant!.name)}`,
          `uri_sans=${participantSpiffeId(spec, participant!.namespace)}`,
        ];
  const call = [issuePath, ...params, `ttl=${spec.tls.duration}`].map(p => JSON.stringify(p)).join(' ');
  const template = [
    `{{- with pkiCert ${call} -}}`,
    '{{ .Cert }}',
    `{{ .Key | writeToFile "${TLS_DIR}/tls.key" "" "" "0400" }}`,
    `{{ .CA | writeToFile "${TLS_DIR}/ca.crt" "" "" "0444" }}`,
    '{{- end -}}',
  ].join('\n');
  return {
    'vault.hashicorp.com/agent-inject': 'true',
    'vault.hashicorp.com/service': vault.server,
    'vault.hashicorp.com/auth-path': `auth/${vault.authMount}`,
    'vault.hashicorp.com/role': vault.authRole,
    'vault.hashicorp.com/agent-run-as-user': String(FLOWER_UID),
    'vault.hashicorp.com/agent-run-as-group': String(FLOWER_UID),
    'vault.hashicorp.com/secret-volume-path': TLS_DIR,
    // The pod does not automount a token; the agent gets a projected one.
    'vault.hashicorp.com/agent-service-account-token-volume-name': VAULT_TOKEN_VOLUME,
    'vault.hashicorp.com/agent-inject-secret-tls.crt': issuePath,
    'vault.hashicorp.com/agent-inject-template-tls.crt': template,
  };
}
