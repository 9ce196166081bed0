/**
 * Fixtures for engine tests: a secured federation (one SuperLink in fl-agg,
 * SuperNodes in site-a and site-b, default-deny policies, passthrough
 * Ingress, cert-manager PKI) that passes every rule, plus helpers to break
 * it one way at a time. For tests only.
 */
import type {
  ComplianceReport,
  RuleResult,
} from '@fl-security/plugin-fl-security-common';
import { fleetGatewayConfig } from '../../generator/gateway';
import { evaluateFederation } from '../evaluate';
import type { ClusterSnapshot, KubeObject, SnapshotGap } from '../types';
import { Issued, issueCa, issueCertificate } from './certs';

export const FEDERATION = 'fed';
export const AGG_NS = 'fl-agg';
export const SITES = ['site-a', 'site-b'];
export const EXTERNAL_HOST = 'fl.example.com';
export const SERVER_DNS = [
  `superlink.${AGG_NS}.svc`,
  `superlink.${AGG_NS}.svc.cluster.local`,
  EXTERNAL_HOST,
];

const fedLabels = (role: string) => ({
  'backstage.io/kubernetes-id': FEDERATION,
  'fl-security/role': role,
});

export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function namespace(
  name: string,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { 'pod-security.kubernetes.io/enforce': 'restricted', ...labels },
    },
  };
}

const restrictedContainer = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

export interface DeploymentOptions {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  image: string;
  command?: string[];
  args?: string[];
  ports?: Array<Record<string, unknown>>;
  volumes?: Array<Record<string, unknown>>;
  volumeMounts?: Array<Record<string, unknown>>;
  env?: Array<Record<string, unknown>>;
  /** More containers of the pod (e.g. the fleet gateway). */
  sidecars?: Array<Record<string, unknown>>;
}

export function deployment(o: DeploymentOptions): KubeObject {
  const labels = { app: o.name, ...(o.labels ?? {}) };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      labels,
      annotations: o.annotations ?? {},
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: o.name } },
      template: {
        metadata: { labels },
        spec: {
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 49999,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: o.name,
              image: o.image,
              ...(o.command ? { command: o.command } : {}),
              args: o.args ?? [],
              ports: o.ports ?? [],
              env: o.env ?? [],
              securityContext: restrictedContainer,
              volumeMounts: o.volumeMounts ?? [],
            },
            ...(o.sidecars ?? []),
          ],
          volumes: o.volumes ?? [],
        },
      },
    },
  };
}

/** Images of the secure federation are pinned by digest (IMG-01); not a real image's. */
export const TEST_DIGEST = `sha256:${'5e'.repeat(32)}`;

/** The generator's in-pod gateway: TLS on the fleet port, Fleet API only. */
export function fleetGateway(port = 9092): Record<string, unknown> {
  return {
    name: 'fleet-gateway',
    image: `haproxy:3.2@${TEST_DIGEST}`,
    command: ['haproxy'],
    args: ['-db', '-f', '/usr/local/etc/haproxy/haproxy.cfg'],
    ports: [{ name: 'fleet', containerPort: port, protocol: 'TCP' }],
    env: [
      { name: 'FLEET_BIND', value: `0.0.0.0:${port}` },
      { name: 'SUPERLINK_ADDRESS', value: '127.0.0.1:9091' },
    ],
    securityContext: restrictedContainer,
    volumeMounts: [
      { name: 'tls', mountPath: '/tls', readOnly: true },
      {
        name: 'fleet-gateway-config',
        mountPath: '/usr/local/etc/haproxy',
        readOnly: true,
      },
    ],
  };
}

/** The generator's haproxy.cfg for the gateway, in its ConfigMap. */
export function fleetGatewayConfigMap(
  inNamespace = AGG_NS,
  config = fleetGatewayConfig(),
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'fleet-gateway', namespace: inNamespace },
    data: { 'haproxy.cfg': config },
  };
}

/**
 * The SuperLink as generated: its one HTTP listener (Fleet, Control and
 * Runtime APIs) on 127.0.0.1:9091, the fleet port served by the gateway.
 */
export function superlink(
  overrides: Partial<DeploymentOptions> = {},
): KubeObject {
  return deployment({
    name: 'superlink',
    namespace: AGG_NS,
    labels: fedLabels('aggregator'),
    annotations: {
      'fl-security/allowed-sources': 'namespace/ingress-nginx,203.0.113.0/24',
    },
    image: `flwr/superlink:1.42.0@${TEST_DIGEST}`,
    command: ['flower-superlink'],
    args: [
      '--ssl-ca-certfile',
      '/tls/ca.crt',
      '--ssl-certfile',
      '/tls/tls.crt',
      '--ssl-keyfile',
      '/tls/tls.key',
      '--enable-supernode-auth',
      '--host',
      '127.0.0.1',
      '--port',
      '9091',
    ],
    sidecars: [fleetGateway()],
    volumes: [
      { name: 'tls', secret: { secretName: 'superlink-tls' } },
      { name: 'fleet-gateway-config', configMap: { name: 'fleet-gateway' } },
    ],
    volumeMounts: [{ name: 'tls', mountPath: '/tls', readOnly: true }],
    ...overrides,
  });
}

export function supernode(
  site: string,
  overrides: Partial<DeploymentOptions> = {},
): KubeObject {
  return deployment({
    name: 'supernode',
    namespace: site,
    labels: { ...fedLabels('participant'), 'fl-security/participant': site },
    image: `flwr/supernode:1.42.0@${TEST_DIGEST}`,
    command: ['flower-supernode'],
    args: [
      '--superlink',
      `superlink.${AGG_NS}.svc:9092`,
      '--root-certificates',
      '/ca/ca.crt',
      '--auth-supernode-private-key',
      '/auth/private-key',
    ],
    volumes: [
      { name: 'ca', configMap: { name: 'fl-ca' } },
      { name: 'auth', secret: { secretName: 'node-auth' } },
    ],
    volumeMounts: [
      { name: 'ca', mountPath: '/ca', readOnly: true },
      { name: 'auth', mountPath: '/auth', readOnly: true },
    ],
    ...overrides,
  });
}

export function networkPolicy(
  ns: string,
  name: string,
  spec: Record<string, unknown>,
): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec,
  };
}

export const defaultDeny = (ns: string) =>
  networkPolicy(ns, 'default-deny', {
    podSelector: {},
    policyTypes: ['Ingress', 'Egress'],
  });

export const allowDns = (ns: string) =>
  networkPolicy(ns, 'allow-dns', {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      {
        to: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
            },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ],
  });

export const participantPeer = (site: string) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': site } },
  podSelector: { matchLabels: fedLabels('participant') },
});

export const aggregatorIngressPolicy = (sites = SITES) =>
  networkPolicy(AGG_NS, 'allow-fleet', {
    podSelector: { matchLabels: fedLabels('aggregator') },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [
          ...sites.map(participantPeer),
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
            },
          },
          { ipBlock: { cidr: '203.0.113.0/24' } },
        ],
        ports: [{ protocol: 'TCP', port: 9092 }],
      },
    ],
  });

export const participantEgressPolicy = (site: string) =>
  networkPolicy(site, 'allow-fleet-egress', {
    podSelector: { matchLabels: fedLabels('participant') },
    policyTypes: ['Egress'],
    egress: [
      {
        to: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': AGG_NS },
            },
            podSelector: { matchLabels: fedLabels('aggregator') },
          },
        ],
        ports: [{ protocol: 'TCP', port: 9092 }],
      },
    ],
  });

export function service(
  ns: string,
  name: string,
  selector: Record<string, string>,
  ports: Array<Record<string, unknown>>,
  type = 'ClusterIP',
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: { type, selector, ports },
  };
}

export function ingress(
  annotations: Record<string, string>,
  spec: Record<string, unknown>,
  name = 'superlink',
): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: AGG_NS, annotations },
    spec,
  };
}

export const passthroughIngress = () =>
  ingress(
    { 'nginx.ingress.kubernetes.io/ssl-passthrough': 'true' },
    {
      ingressClassName: 'nginx',
      rules: [
        {
          host: EXTERNAL_HOST,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: {
                  service: { name: 'superlink', port: { name: 'fleet' } },
                },
              },
            ],
          },
        },
      ],
    },
  );

export function tlsSecret(
  ns: string,
  name: string,
  data: { crt?: string; key?: string; ca?: string },
  type = 'kubernetes.io/tls',
): KubeObject {
  const encoded: Record<string, string> = {};
  if (data.crt !== undefined) encoded['tls.crt'] = b64(data.crt);
  if (data.key !== undefined) encoded['tls.key'] = b64(data.key);
  if (data.ca !== undefined) encoded['ca.crt'] = b64(data.ca);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type,
    metadata: { name, namespace: ns },
    data: encoded,
  };
}

export function certificate(
  ns: string,
  name: string,
  spec: Record<string, unknown>,
  status?: Record<string, unknown>,
): KubeObject {
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name, namespace: ns },
    spec: {
      secretName: name,
      issuerRef: {
        name: 'fed-ca',
        kind: 'ClusterIssuer',
        group: 'cert-manager.io',
      },
      ...spec,
    },
    ...(status ? { status } : {}),
  };
}

export interface Pki {
  ca: Issued;
  server: Issued;
}

let pki: Pki | undefined;

/** The federation CA and the SuperLink certificate (issued once per test file). */
export function federationPki(): Pki {
  if (!pki) {
    const ca = issueCa('fed CA');
    const server = issueCertificate({
      commonName: SERVER_DNS[0],
      dnsNames: SERVER_DNS,
      extendedKeyUsage: ['serverAuth'],
      issuer: ca,
    });
    pki = { ca, server };
  }
  return pki;
}

/** The secure federation: every rule passes (offline with the issued Secrets). */
export function secureFederation(): KubeObject[] {
  const { ca, server } = federationPki();
  return [
    namespace(AGG_NS),
    ...SITES.map(site => namespace(site)),
    superlink(),
    fleetGatewayConfigMap(),
    service(AGG_NS, 'superlink', { app: 'superlink' }, [
      { name: 'fleet', port: 9092, targetPort: 'fleet', protocol: 'TCP' },
    ]),
    passthroughIngress(),
    defaultDeny(AGG_NS),
    allowDns(AGG_NS),
    aggregatorIngressPolicy(),
    tlsSecret(AGG_NS, 'superlink-tls', {
      crt: server.certPem,
      key: server.keyPem,
      ca: ca.certPem,
    }),
    certificate(AGG_NS, 'superlink-tls', {
      dnsNames: SERVER_DNS,
      usages: ['server auth', 'digital signature'],
      privateKey: { algorithm: 'ECDSA', size: 256 },
    }),
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'fed-ca' },
      spec: { ca: { secretName: 'fed-ca' } },
    },
    tlsSecret('cert-manager', 'fed-ca', { crt: ca.certPem, key: ca.keyPem }),
    ...SITES.flatMap(site => [
      supernode(site),
      defaultDeny(site),
      allowDns(site),
      participantEgressPolicy(site),
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'fl-ca', namespace: site },
        data: { 'ca.crt': ca.certPem },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'Opaque',
        metadata: { name: 'node-auth', namespace: site },
        data: { 'private-key': b64('not a real key') },
      },
    ]),
  ];
}

/** Returns the objects with one replaced (matched by kind, namespace, name). */
export function replace(
  objects: KubeObject[],
  kind: string,
  ns: string | undefined,
  name: string,
  next: KubeObject | ((o: KubeObject) => KubeObject),
): KubeObject[] {
  let found = false;
  const out = objects.map(o => {
    if (
      o.kind !== kind ||
      o.metadata.name !== name ||
      (o.metadata.namespace ?? undefined) !== ns
    )
      return o;
    found = true;
    return typeof next === 'function' ? next(structuredClone(o)) : next;
  });
  if (!found) throw new Error(`fixture has no ${kind} ${ns}/${name}`);
  return out;
}

/** The secure federation's objects with the aggregator serving `text` as its tls.crt. */
export function withServedTlsCrt(
  objects: KubeObject[],
  text: string,
): KubeObject[] {
  return replace(objects, 'Secret', AGG_NS, 'superlink-tls', secret => ({
    ...secret,
    data: { ...(secret as any).data, 'tls.crt': b64(text) },
  }));
}

export function without(
  objects: KubeObject[],
  kind: string,
  ns: string | undefined,
  name: string,
): KubeObject[] {
  const out = objects.filter(
    o =>
      !(
        o.kind === kind &&
        o.metadata.name === name &&
        o.metadata.namespace === ns
      ),
  );
  if (out.length === objects.length)
    throw new Error(`fixture has no ${kind} ${ns}/${name}`);
  return out;
}

export interface EvaluateOptions {
  now?: Date;
  cluster?: string;
  gaps?: SnapshotGap[];
  thresholds?: { expiryWarnDays?: number; expiryFailDays?: number };
}

export function evaluate(
  objects: KubeObject[],
  options: EvaluateOptions = {},
): ComplianceReport {
  const snapshot: ClusterSnapshot = { objects, gaps: options.gaps ?? [] };
  if (options.cluster) snapshot.cluster = options.cluster;
  return evaluateFederation({
    snapshots: [snapshot],
    now: options.now ?? new Date(),
    thresholds: options.thresholds,
    federation: FEDERATION,
  });
}

export function results(
  report: ComplianceReport,
  ruleId: string,
): RuleResult[] {
  return report.results.filter(r => r.ruleId === ruleId);
}

/** The single result of a rule on a resource name (throws when ambiguous). */
export function resultFor(
  report: ComplianceReport,
  ruleId: string,
  name: string,
  ns?: string,
  kind?: string,
): RuleResult {
  const matches = results(report, ruleId).filter(
    r =>
      r.resource.name === name &&
      (ns === undefined || r.resource.namespace === ns) &&
      (kind === undefined || r.resource.kind === kind),
  );
  if (matches.length !== 1) {
    throw new Error(
      `${matches.length} ${ruleId} results for ${
        ns ?? '*'
      }/${name}: ${JSON.stringify(
        results(report, ruleId).map(r => [r.resource, r.status]),
      )}`,
    );
  }
  return matches[0];
}

export function statuses(report: ComplianceReport, ruleId: string): string[] {
  return results(report, ruleId).map(r => r.status);
}

/** A Gateway with one listener `l` and a route of the given kind to the superlink Service. */
export function gatewayObjects(
  listener: Record<string, unknown>,
  routeKind = 'TLSRoute',
): KubeObject[] {
  return [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'edge', namespace: 'gw' },
      spec: {
        gatewayClassName: 'x',
        listeners: [{ name: 'l', port: 443, ...listener }],
      },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1alpha2',
      kind: routeKind,
      metadata: { name: 'superlink', namespace: AGG_NS },
      spec: {
        parentRefs: [{ name: 'edge', namespace: 'gw', sectionName: 'l' }],
        hostnames: [EXTERNAL_HOST],
        rules: [{ backendRefs: [{ name: 'superlink', port: 9092 }] }],
      },
    },
  ];
}
