import fs from 'node:fs';
import path from 'node:path';
import {
  ADMIN_USER,
  applyManifests,
  describeFailures,
  kubeRequest,
  RESTRICTED_USER,
  startTestCluster,
  TestCluster,
} from './index';

// One real control plane for the whole file: etcd + kube-apiserver + CRDs.
jest.setTimeout(180_000);

const NS = 'fl-test';

const namespaceAndPolicies = `
apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ${NS}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;

const certificateAndRoute = `
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: superlink
  namespace: ${NS}
spec:
  secretName: superlink-tls
  dnsNames: [superlink.${NS}.svc, fl.example.org]
  issuerRef: { name: fl-ca, kind: Issuer }
  privateKey: { algorithm: ECDSA, size: 384 }
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata:
  name: superlink
  namespace: ${NS}
spec:
  parentRefs: [{ name: edge, sectionName: tls-passthrough }]
  hostnames: [fl.example.org]
  rules:
    - backendRefs: [{ name: superlink, port: 9092 }]
`;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startTestCluster', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('serves the pinned Kubernetes release on loopback with the upstream CRDs', async () => {
    expect(cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const version = await kubeRequest(cluster, { path: '/version', token: cluster.adminToken });
    expect(version.status).toBe(200);
    expect(version.body.gitVersion).toBe(cluster.kubernetesVersion);
    expect(cluster.crds).toEqual(
      expect.arrayContaining([
        'certificates.cert-manager.io',
        'issuers.cert-manager.io',
        'tlsroutes.gateway.networking.k8s.io',
        'gateways.gateway.networking.k8s.io',
        'peerauthentications.security.istio.io',
        'authorizationpolicies.security.istio.io',
      ]),
    );
    expect(fs.readFileSync(cluster.kubeconfigPath, 'utf8')).toContain(cluster.server);
    expect(fs.statSync(cluster.kubeconfigPath).mode & 0o077).toBe(0);
  });

  it('rejects requests without a valid token', async () => {
    const response = await kubeRequest(cluster, { path: '/api/v1/namespaces', token: 'not-a-token' });
    expect(response.status).toBe(401);
  });

  it('lets the admin create a namespace, NetworkPolicy, Certificate and TLSRoute', async () => {
    const results = [
      ...(await applyManifests(cluster, namespaceAndPolicies)),
      ...(await applyManifests(cluster, certificateAndRoute)),
    ];
    expect(describeFailures(results)).toBe('');
    expect(results.map(r => `${r.kind}/${r.name}`)).toEqual([
      'Namespace/fl-test',
      'NetworkPolicy/default-deny',
      'Certificate/superlink',
      'TLSRoute/superlink',
    ]);
    const stored = await kubeRequest(cluster, {
      path: `/apis/cert-manager.io/v1/namespaces/${NS}/certificates/superlink`,
      token: cluster.adminToken,
    });
    expect(stored.status).toBe(200);
    expect(stored.body.spec.dnsNames).toEqual([`superlink.${NS}.svc`, 'fl.example.org']);
  });

  const typos = [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'typo', namespace: NS },
      spec: { podSelector: {}, policyType: ['Ingress'] },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'typo', namespace: NS },
      spec: { secretName: 'x', issuerRef: { name: 'ca' }, dnsName: ['a.example.org'] },
    },
  ];
  const missingRequired = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'missing-required', namespace: NS },
    spec: { dnsNames: ['a.example.org'] },
  };

  it('rejects unknown fields in a Strict server-side apply dry run, for built-in kinds and CRDs', async () => {
    const results = await applyManifests(cluster, [...typos, missingRequired], {
      dryRun: true,
      fieldValidation: 'Strict',
    });
    // Upstream answers an apply patch with undeclared fields with 500.
    expect(results.map(r => [r.ok, r.status])).toEqual([
      [false, 500],
      [false, 500],
      [false, 422],
    ]);
    expect(results[0].message).toMatch(/\.spec\.policyType: field not declared in schema/);
    expect(results[1].message).toMatch(/\.spec\.dnsName: field not declared in schema/);
    expect(results[2].message).toMatch(/spec.secretName: Required value/);
  });

  it('rejects unknown fields in a Strict dry-run create', async () => {
    const results = await applyManifests(cluster, typos, {
      mode: 'create',
      dryRun: true,
      fieldValidation: 'Strict',
    });
    expect(results.map(r => [r.ok, r.status])).toEqual([
      [false, 400],
      [false, 400],
    ]);
    expect(results[0].message).toMatch(/unknown field "spec.policyType"/);
    expect(results[1].message).toMatch(/unknown field "spec.dnsName"/);
    const warned = await applyManifests(cluster, typos, {
      mode: 'create',
      dryRun: true,
      fieldValidation: 'Warn',
    });
    expect(warned.map(r => r.ok)).toEqual([true, true]);
    expect(warned[0].warnings).toEqual([expect.stringMatching(/unknown field "spec.policyType"/)]);
  });

  it('does not persist objects applied with dryRun', async () => {
    const [result] = await applyManifests(
      cluster,
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry', namespace: NS }, data: { a: 'b' } }],
      { dryRun: true },
    );
    expect(result.ok).toBe(true);
    expect(result.object.data).toEqual({ a: 'b' });
    const stored = await kubeRequest(cluster, {
      path: `/api/v1/namespaces/${NS}/configmaps/dry`,
      token: cluster.adminToken,
    });
    expect(stored.status).toBe(404);
  });

  it('denies the restricted user until a RoleBinding grants it access', async () => {
    const listSecrets = () =>
      kubeRequest(cluster, {
        path: `/api/v1/namespaces/${NS}/secrets`,
        token: cluster.restrictedToken,
      });
    const denied = await listSecrets();
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain(`User "${RESTRICTED_USER}" cannot list resource "secrets"`);

    const [asReader] = await applyManifests(
      cluster,
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nope', namespace: NS } }],
      { user: RESTRICTED_USER },
    );
    expect(asReader.ok).toBe(false);
    expect(asReader.status).toBe(403);

    const grants = await applyManifests(cluster, [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'read-secrets', namespace: NS },
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'reader-secrets', namespace: NS },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-secrets' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: RESTRICTED_USER }],
      },
    ]);
    expect(describeFailures(grants)).toBe('');
    // RBAC changes reach the authorizer through a watch: allow a moment.
    let allowed = await listSecrets();
    for (let i = 0; i < 50 && allowed.status !== 200; i++) {
      await new Promise(resolve => setTimeout(resolve, 100));
      allowed = await listSecrets();
    }
    expect(allowed.status).toBe(200);
    expect(allowed.body.kind).toBe('SecretList');

    // The grant is namespaced: other namespaces stay closed.
    const elsewhere = await kubeRequest(cluster, {
      path: '/api/v1/namespaces/default/secrets',
      token: cluster.restrictedToken,
    });
    expect(elsewhere.status).toBe(403);
  });

  it('writes kubeconfigs that @kubernetes/client-node can use as each user', async () => {
    const k8s = await import('@kubernetes/client-node');
    const asUser = (user: string) => {
      const config = new k8s.KubeConfig();
      config.loadFromFile(cluster.kubeconfigPaths[user]);
      return config.makeApiClient(k8s.CoreV1Api);
    };
    const secrets = await asUser(RESTRICTED_USER).listNamespacedSecret({ namespace: NS });
    expect(secrets.items).toEqual([]);
    await expect(asUser(RESTRICTED_USER).listNamespace()).rejects.toMatchObject({ code: 403 });
    const namespaces = await asUser(ADMIN_USER).listNamespace();
    expect(namespaces.items.map(ns => ns.metadata?.name)).toContain(NS);
  });

  it('stop() kills both process groups and removes its files', async () => {
    const { etcd, kubeApiserver } = cluster.pids;
    const dir = path.dirname(cluster.kubeconfigPath);
    expect(processAlive(etcd)).toBe(true);
    expect(processAlive(kubeApiserver)).toBe(true);
    await cluster.stop();
    expect(processAlive(etcd)).toBe(false);
    expect(processAlive(kubeApiserver)).toBe(false);
    expect(() => process.kill(-etcd, 0)).toThrow();
    expect(() => process.kill(-kubeApiserver, 0)).toThrow();
    expect(fs.existsSync(dir)).toBe(false);
    await expect(cluster.stop()).resolves.toBeUndefined();
  });
});
