import { base64, createTestCertificate, TestCertificate } from './certs';
import { FakeObject } from './fakeKubeApi';

export const FEDERATION = 'fl-demo';
export const AGG_NS = 'fl-demo-aggregator';
export const SITE_NS = 'fl-demo-site-a';
export const TLS_SECRET = 'fl-demo-aggregator-tls';
export const INGRESS_SECRET = 'fl-demo-ingress-tls';
export const UNRELATED_SECRET = 'database-password';
/** Participant's Flower node-authentication key: mounted, never read. */
export const NODE_KEY_SECRET = 'fl-demo-site-a-node-key';
/** CA bundle distributed by trust-manager: not labelled by us. */
export const CA_BUNDLE = 'fl-demo-ca-bundle';

/** The catalog entity the fixture's namespaces are bound to. */
export const ENTITY_REF = 'component:default/fl-demo';
/** The reader's owner for that entity. */
export const OWNER = { entityRef: ENTITY_REF, federation: FEDERATION };

/** The binding the generator writes on a Namespace. */
export const binding = (entityRef = ENTITY_REF, federation = FEDERATION) => ({
  labels: { 'fl-security/federation': federation },
  annotations: { 'fl-security/entity-ref': entityRef },
});

const labels = (role?: string) => ({
  'backstage.io/kubernetes-id': FEDERATION,
  ...(role ? { 'fl-security/role': role } : {}),
});

let cached: TestCertificate | undefined;
/** The aggregator's certificate (created once per test file). */
export function aggregatorCertificate(): TestCertificate {
  cached ??= createTestCertificate({
    commonName: 'fl-demo-aggregator',
    dnsNames: [
      'fl-demo-aggregator.fl-demo-aggregator.svc',
      'fl-demo-aggregator.fl-demo-aggregator.svc.cluster.local',
      'fl.example.org',
    ],
  });
  return cached;
}

/**
 * A small federation as the API server would hold it: aggregator and one
 * site, labelled objects, plus objects written by others (an unlabelled
 * NetworkPolicy and Pod, an unrelated Secret).
 */
export function federationObjects(): FakeObject[] {
  const cert = aggregatorCertificate();
  const tlsSecret = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: {
      name,
      namespace: AGG_NS,
      labels: labels(),
      annotations: {
        // What `kubectl apply` leaves behind: the data again.
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
          data: { 'tls.key': base64(cert.keyPem) },
        }),
      },
      managedFields: [{ manager: 'kubectl' }],
    },
    data: {
      'tls.crt': base64(cert.certPem),
      'tls.key': base64(cert.keyPem),
      'ca.crt': base64(cert.caPem),
    },
  });
  const aggregatorPodSpec = {
    containers: [
      {
        name: 'superlink',
        image: 'flwr/superlink:1.42.0',
        args: [
          '--ssl-ca-certfile=/certs/ca.crt',
          '--ssl-certfile=/certs/tls.crt',
          '--ssl-keyfile=/certs/tls.key',
        ],
        ports: [{ name: 'fleet', containerPort: 9092 }],
        volumeMounts: [{ name: 'tls', mountPath: '/certs', readOnly: true }],
      },
    ],
    volumes: [{ name: 'tls', secret: { secretName: TLS_SECRET } }],
  };
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: AGG_NS,
        labels: { ...labels('aggregator'), ...binding().labels },
        annotations: binding().annotations,
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: SITE_NS,
        labels: { ...labels('participant'), ...binding().labels },
        annotations: binding().annotations,
      },
    },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'fl-demo-aggregator',
        namespace: AGG_NS,
        labels: labels('aggregator'),
      },
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: labels('aggregator') },
        template: {
          metadata: { labels: labels('aggregator') },
          spec: aggregatorPodSpec,
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'fl-demo-aggregator-7d9f',
        namespace: AGG_NS,
        labels: labels('aggregator'),
      },
      spec: aggregatorPodSpec,
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'someone-elses-pod', namespace: AGG_NS },
      spec: { containers: [{ name: 'x', image: 'nginx' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'fl-demo-aggregator',
        namespace: AGG_NS,
        labels: labels('aggregator'),
      },
      spec: {
        selector: labels('aggregator'),
        ports: [{ name: 'fleet', port: 9092, targetPort: 'fleet' }],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: AGG_NS, labels: labels() },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      // Written by someone else, without our label: still decides access.
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-all', namespace: AGG_NS },
      spec: { podSelector: {}, ingress: [{}] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'fl-demo-aggregator',
        namespace: AGG_NS,
        labels: labels('aggregator'),
        annotations: { 'nginx.ingress.kubernetes.io/ssl-passthrough': 'true' },
      },
      spec: {
        tls: [{ hosts: ['fl.example.org'], secretName: INGRESS_SECRET }],
        rules: [{ host: 'fl.example.org' }],
      },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: {
        name: 'fl-demo-aggregator',
        namespace: AGG_NS,
        labels: labels('aggregator'),
      },
      spec: {
        secretName: TLS_SECRET,
        dnsNames: ['fl-demo-aggregator.fl-demo-aggregator.svc'],
        issuerRef: { kind: 'ClusterIssuer', name: 'fl-demo-ca' },
      },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'fl-demo-ca' },
      spec: { ca: { secretName: 'fl-demo-ca' } },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'unrelated-issuer' },
      spec: { selfSigned: {} },
    },
    tlsSecret(TLS_SECRET),
    tlsSecret(INGRESS_SECRET),
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: UNRELATED_SECRET, namespace: AGG_NS, labels: labels() },
      data: { password: base64('hunter2-very-secret-password') },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'fl-demo-site-a',
        namespace: SITE_NS,
        labels: labels('participant'),
      },
      spec: {
        selector: { matchLabels: labels('participant') },
        template: {
          metadata: { labels: labels('participant') },
          spec: {
            containers: [
              {
                name: 'supernode',
                image: 'flwr/supernode:1.42.0',
                args: [
                  '--root-certificates',
                  '/ca/ca.crt',
                  '--auth-supernode-private-key=/keys/node.key',
                ],
                volumeMounts: [
                  { name: 'ca', mountPath: '/ca', readOnly: true },
                  { name: 'node-key', mountPath: '/keys', readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: 'ca', configMap: { name: CA_BUNDLE } },
              { name: 'node-key', secret: { secretName: NODE_KEY_SECRET } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: CA_BUNDLE,
        namespace: SITE_NS,
        labels: { 'trust.cert-manager.io/bundle': 'fl-demo-ca' },
      },
      data: { 'ca.crt': cert.caPem },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: NODE_KEY_SECRET, namespace: SITE_NS, labels: labels() },
      data: {
        'node.key': base64(
          '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----\n',
        ),
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'unrelated-in-other',
        namespace: 'other',
        labels: labels(),
      },
      spec: { containers: [{ name: 'x', image: 'nginx' }] },
    },
  ];
}
