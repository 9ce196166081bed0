// Shared by the generator integration tests: which spec variants to
// generate, and how to turn a generated project into ordered manifests.
import {
  EXPOSURES,
  FederationSpecInput,
  TLS_PROVIDERS,
} from '@fl-security/plugin-fl-security-common';
import { generateFromInput } from '@fl-security/plugin-fl-security-node';
import { applyManifests, ApplyResult, describeFailures, parseManifests } from '../apply';
import { TestCluster } from '../cluster';

const vault = {
  server: 'https://vault.example.com:8200',
  role: 'fl-federation',
  authRole: 'fl-issuer',
};

const SHORT = {
  'cert-manager-ca': 'ca',
  'cert-manager-vault': 'cmv',
  'cert-manager-issuer': 'iss',
  'vault-pki-secret': 'vso',
  'vault-agent': 'agent',
  none: 'none',
  'ingress-nginx': 'nginx',
  'gateway-api': 'gw',
} as const;

function tlsFor(provider: (typeof TLS_PROVIDERS)[number]): FederationSpecInput['tls'] {
  switch (provider) {
    case 'cert-manager-issuer':
      return { provider, issuer: { kind: 'ClusterIssuer', name: 'corp-ca' } };
    case 'vault-agent':
      return { provider, vault: { ...vault, egress: { namespace: 'vault', cidrs: ['10.20.0.0/16'] } } };
    case 'cert-manager-vault':
    case 'vault-pki-secret':
      return { provider, vault };
    default:
      return { provider };
  }
}

function networkFor(exposure: (typeof EXPOSURES)[number]): FederationSpecInput['network'] {
  switch (exposure) {
    case 'ingress-nginx':
      return { exposure, externalHost: 'fl.example.com', allowedCidrs: ['203.0.113.0/24'] };
    case 'gateway-api':
      return { exposure, externalHost: 'fl.example.org', gateway: { name: 'edge', namespace: 'gateway-system' } };
    default:
      return { exposure };
  }
}

/**
 * Every TLS provider with every exposure; each provider also once with the
 * Istio mesh (which the spec forbids with ingress-nginx passthrough).
 */
export function providerExposureMatrix(): [string, FederationSpecInput][] {
  const variants: [string, FederationSpecInput][] = [];
  TLS_PROVIDERS.forEach((provider, index) => {
    for (const exposure of EXPOSURES) {
      const meshed = exposure === (index % 2 === 0 ? 'gateway-api' : 'none');
      const mesh = meshed ? 'istio' : 'none';
      variants.push([
        `${provider} + ${exposure} + mesh ${mesh}`,
        {
          name: `${SHORT[provider]}-${SHORT[exposure]}`,
          participants: [{ name: 'site-a' }, { name: 'site-b' }],
          tls: tlsFor(provider),
          network: networkFor(exposure),
          mesh,
        },
      ]);
    }
  });
  return variants;
}

/** All defaults: a name and one participant. */
export const defaultSpec: FederationSpecInput = {
  name: 'fl-default',
  participants: [{ name: 'site-a' }],
};

/** Every optional field set. */
export const maximalSpec: FederationSpecInput = {
  name: 'fl-maximal',
  framework: 'flower',
  clusterDomain: 'cluster.local',
  images: {
    superlink: 'registry.example.com/flwr/superlink:1.42.0',
    supernode: `registry.example.com/flwr/supernode@sha256:${'a'.repeat(64)}`,
    fleetGateway: 'registry.example.com/haproxy:3.2',
    digests: {
      superlink: `sha256:${'b'.repeat(64)}`,
      fleetGateway: `sha256:${'c'.repeat(64)}`,
    },
  },
  aggregator: {
    namespace: 'fl-maximal-agg',
    port: 30092,
    stateStorage: { size: '5Gi', storageClassName: 'fast-ssd' },
  },
  participants: [
    { name: 'hospital-a' },
    { name: 'hospital-b', namespace: 'fl-maximal-hb' },
    { name: 'clinic-c' },
  ],
  tls: {
    provider: 'cert-manager-vault',
    certManagerNamespace: 'cert-manager',
    vault: {
      ...vault,
      pkiMount: 'pki/intermediate',
      authMount: 'kubernetes',
      caBundleSecret: 'vault-ca',
    },
    keyAlgorithm: 'RSA',
    keySize: 4096,
    duration: '8760h',
    renewBefore: '1440h',
  },
  network: {
    exposure: 'gateway-api',
    externalHost: 'fl.example.org',
    ingressClassName: 'nginx',
    ingressControllerNamespace: 'ingress-nginx',
    gateway: {
      name: 'edge',
      namespace: 'gateway-system',
      sectionName: 'tls-passthrough',
      dataPlaneNamespace: 'envoy-gateway-system',
      tlsRouteVersion: 'v1',
    },
    allowedCidrs: ['203.0.113.0/24', '2001:db8::/32'],
    dnsNamespace: 'kube-system',
  },
  mesh: 'istio',
  portal: { serviceAccount: { namespace: 'backstage', name: 'backstage-portal' } },
};

export interface GeneratedManifests {
  /** Kubernetes objects parsed from the emitted YAML files, in file order. */
  docs: any[];
  /** How many objects the generator says it emitted. */
  objectCount: number;
  files: string[];
}

/**
 * Generates a project and parses every emitted YAML file under deploy/;
 * Kustomize's own kustomization.yaml files are not API objects.
 */
export function generatedManifests(input: unknown): GeneratedManifests {
  const result = generateFromInput(input);
  if (!result.ok) {
    throw new Error(`the spec is invalid: ${result.errors.join('; ')}`);
  }
  const files = result.files.filter(file => file.path.startsWith('deploy/') && file.path.endsWith('.yaml'));
  const docs = files
    .flatMap(file => parseManifests(file.content))
    .filter((doc: any) => !String(doc.apiVersion).startsWith('kustomize.config.k8s.io/'));
  return { docs, objectCount: result.objects.length, files: files.map(file => file.path) };
}

/** Creates (for real) every namespace the objects live in, so dry runs can target them. */
export async function createNamespaces(cluster: TestCluster, docs: any[]): Promise<void> {
  const declared = docs.filter(doc => doc.apiVersion === 'v1' && doc.kind === 'Namespace');
  const names = new Set(declared.map(doc => doc.metadata.name));
  const referenced = [...new Set(docs.map(doc => doc.metadata.namespace).filter(Boolean))]
    .filter(name => !names.has(name))
    .map(name => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  const results = await applyManifests(cluster, [...declared, ...referenced]);
  const failures = describeFailures(results);
  if (failures) {
    throw new Error(`creating namespaces failed:\n${failures}`);
  }
}

/**
 * Failures and warnings of a dry run, one line each (empty when all clean);
 * warnings matching `expected` are left out.
 */
export function problems(results: ApplyResult[], expected?: RegExp): string {
  const warnings = results.flatMap(r =>
    r.warnings.filter(w => !expected?.test(w)).map(w => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}: warning: ${w}`),
  );
  return [describeFailures(results), ...warnings].filter(Boolean).join('\n');
}
