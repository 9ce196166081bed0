import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  AGGREGATOR_CLUSTER_ANNOTATION,
  ALLOWED_EGRESS_ANNOTATION,
  CLUSTER_ANNOTATION,
  EXTERNAL_ADDRESSES_ANNOTATION,
  EXTERNAL_PORT_ANNOTATION,
  parseFederationSpec,
} from '@fl-security/plugin-fl-security-common';
import { issueCa, issueCertificate } from '../engine/__testUtils__/certs';
import { generateFederationProject, SPEC_FILE } from './generate';
import { Manifest } from './meta';
import { NEW_CA_BASE64, OLD_CA_BASE64 } from './__testUtils__/caCertificates';
import { crossSiloSpec, smallSpec } from './__testUtils__/specs';

function generate(input: unknown) {
  return generateFederationProject(parseFederationSpec(input));
}

const project = generate(crossSiloSpec);
const tree = new Map(project.files.map(file => [file.path, file.content]));

/** Objects of the manifest files under `dir` (kustomizations excluded). */
function objectsUnder(dir: string): Manifest[] {
  return project.files
    .filter(file => file.path.startsWith(dir) && !file.path.endsWith('kustomization.yaml') && file.path.endsWith('.yaml'))
    .flatMap(file => parseAllDocuments(file.content).map(doc => doc.toJS() as Manifest));
}

const find = (objects: Manifest[], kind: string, namespace?: string, name?: string) =>
  objects.filter(
    o => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace) && (name === undefined || o.metadata.name === name),
  );

const hub = objectsUnder('deploy/clusters/hub/');
const siteA = objectsUnder('deploy/clusters/hospital-a/');
const siteB = objectsUnder('deploy/clusters/hospital-b/');

function splitPem(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? [];
}

describe('one bundle per cluster', () => {
  it('renders a 1-aggregator + 2-site-cluster federation (snapshot)', () => {
    expect(Object.fromEntries(tree)).toMatchSnapshot();
  });

  it('writes deploy/clusters/<cluster>/ per cluster and no top-level kustomization (nothing applies all clusters at once)', () => {
    const roots = [...tree.keys()].filter(path => /^deploy\/clusters\/[^/]+\/kustomization\.yaml$/.test(path));
    expect(roots).toEqual([
      'deploy/clusters/hospital-a/kustomization.yaml',
      'deploy/clusters/hospital-b/kustomization.yaml',
      'deploy/clusters/hub/kustomization.yaml',
    ]);
    expect(tree.has('deploy/kustomization.yaml')).toBe(false);
    // Every manifest belongs to exactly one bundle.
    expect(hub.length + siteA.length + siteB.length).toBe(project.objects.length);
  });

  it('lists every file of a bundle in its kustomizations', () => {
    for (const path of tree.keys()) {
      if (!path.startsWith('deploy/clusters/') || path.endsWith('kustomization.yaml') || !path.endsWith('.yaml')) continue;
      const dir = path.slice(0, path.lastIndexOf('/'));
      const { resources } = parseAllDocuments(tree.get(`${dir}/kustomization.yaml`)!)[0].toJS();
      expect(resources).toContain(path.slice(dir.length + 1));
    }
  });

  it('keeps a federation in one named cluster in the single-bundle layout', () => {
    const unnamed = generate(smallSpec).files.filter(f => f.path !== SPEC_FILE);
    const named = generate({
      ...smallSpec,
      aggregator: { cluster: 'prod' },
      participants: smallSpec.participants.map(p => ({ ...p, cluster: 'prod' })),
    }).files.filter(f => f.path !== SPEC_FILE);
    expect(named).toEqual(unnamed);
  });

  it('puts the aggregator, its PKI and the local site in the aggregator bundle, and no remote site', () => {
    expect(find(hub, 'Deployment').map(d => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual([
      'silo-aggregator/superlink',
      'silo-local/supernode',
    ]);
    expect(find(hub, 'ClusterIssuer').length).toBeGreaterThan(0);
    expect(find(hub, 'Ingress')).toHaveLength(1);
    const namespaces = JSON.stringify(hub);
    for (const remote of ['silo-hospital-a', 'silo-hospital-b', 'lab-fl']) expect(namespaces).not.toContain(remote);
    // The portal reads only this cluster's namespaces here.
    const role = find(hub, 'ClusterRole')[0] as any;
    expect(role.rules[0].resourceNames).toEqual(['silo-aggregator', 'silo-local']);
  });

  it('names the external entry (addresses, port) on the aggregator\'s exposure', () => {
    const ingress = find(hub, 'Ingress', 'silo-aggregator', 'superlink')[0] as any;
    expect(ingress.metadata.annotations[EXTERNAL_ADDRESSES_ANNOTATION]).toBe('198.51.100.10/32');
    expect(ingress.metadata.annotations[EXTERNAL_PORT_ANNOTATION]).toBe('443');
  });

  it('admits to the fleet port only local participants and the external entry', () => {
    const policy = find(hub, 'NetworkPolicy', 'silo-aggregator', 'allow-fleet-ingress')[0] as any;
    const peers = policy.spec.ingress[0].from.map((peer: any) => peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name']);
    expect(peers).toEqual(['silo-local', 'ingress-nginx']);
  });

  it('gives each site bundle its SuperNode, default-deny, DNS, and egress only to the external addresses on the external port', () => {
    for (const [site, ns] of [[siteA, 'silo-hospital-a'], [siteB, 'silo-hospital-b'], [siteB, 'lab-fl']] as const) {
      const names = find(site, 'NetworkPolicy', ns).map(p => p.metadata.name);
      expect(names).toEqual(['default-deny', 'allow-dns', 'allow-fleet-egress']);
      const egress = (find(site, 'NetworkPolicy', ns, 'allow-fleet-egress')[0] as any).spec.egress;
      expect(egress).toEqual([{ to: [{ ipBlock: { cidr: '198.51.100.10/32' } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
      const deployment = find(site, 'Deployment', ns, 'supernode')[0] as any;
      // The site does not vouch for the aggregator's address: the hub's exposure does.
      expect(deployment.metadata.annotations[ALLOWED_EGRESS_ANNOTATION]).toBeUndefined();
      expect(deployment.metadata.annotations[AGGREGATOR_CLUSTER_ANNOTATION]).toBe('hub');
      expect(deployment.metadata.annotations[CLUSTER_ANNOTATION]).toBe(site === siteA ? 'hospital-a' : 'hospital-b');
      const args: string[] = deployment.spec.template.spec.containers[0].args;
      expect(args.slice(args.indexOf('--superlink'), args.indexOf('--superlink') + 2)).toEqual(['--superlink', 'fl.example.com:443']);
    }
    const local = find(hub, 'Deployment', 'silo-local', 'supernode')[0] as any;
    expect(local.spec.template.spec.containers[0].args).toContain('superlink.silo-aggregator.svc:9092');
  });

  it('ships no PKI issuer, no Secret and no private key in a site bundle or anywhere in the repository', () => {
    for (const site of [siteA, siteB]) {
      const kinds = new Set(site.map(o => o.kind));
      for (const kind of ['Secret', 'Certificate', 'Issuer', 'ClusterIssuer', 'VaultPKISecret', 'Ingress', 'Service']) {
        expect(kinds.has(kind)).toBe(false);
      }
    }
    for (const [path, content] of tree) expect(`${path}: ${/PRIVATE KEY-----/.test(content)}`).toBe(`${path}: false`);
  });

  it('generates the node-auth key inside the site: an init container without token, network or RBAC writes it to the site volume', () => {
    for (const site of [siteA, siteB]) {
      const deployment = find(site, 'Deployment')[0] as any;
      const pod = deployment.spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.initContainers.map((c: any) => c.name)).toEqual(['node-auth-keygen']);
      expect(pod.initContainers[0].image).toBe(pod.containers[0].image);
      expect(pod.initContainers[0].volumeMounts).toEqual([{ name: 'node-auth', mountPath: '/var/run/fl-security/node-auth' }]);
      expect(pod.volumes.find((v: any) => v.name === 'node-auth')).toEqual({
        name: 'node-auth',
        persistentVolumeClaim: { claimName: 'supernode-node-auth' },
      });
      expect(find(site, 'PersistentVolumeClaim').length).toBeGreaterThan(0);
      expect(find(site, 'Role').every(role => !JSON.stringify(role).includes('secrets'))).toBe(true);
    }
  });

  it('distributes the CA by ConfigMap, or by a trust-manager Bundle where the site runs it, and lets the portal read it', () => {
    const configMap = find(siteA, 'ConfigMap', 'silo-hospital-a', 'silo-ca-bundle')[0] as any;
    expect(splitPem(configMap.data['ca.crt'])).toHaveLength(2);
    expect(find(siteB, 'ConfigMap')).toEqual([]);
    const bundle = find(siteB, 'Bundle')[0] as any;
    expect(bundle.apiVersion).toBe('trust.cert-manager.io/v1alpha1');
    expect(bundle.spec.sources).toHaveLength(2);
    expect(bundle.spec.target).toEqual({
      configMap: { key: 'ca.crt' },
      namespaceSelector: { matchLabels: { 'fl-security/federation': 'silo' } },
    });
    const role = find(siteB, 'ClusterRole')[0] as any;
    expect(role.rules).toContainEqual({ apiGroups: ['trust.cert-manager.io'], resources: ['bundles'], resourceNames: ['silo-ca-bundle'], verbs: ['get'] });
    for (const site of [siteA, siteB]) {
      const deployment = find(site, 'Deployment')[0] as any;
      expect(deployment.spec.template.spec.volumes[0]).toEqual({
        name: 'ca-bundle',
        configMap: { name: 'silo-ca-bundle', items: [{ key: 'ca.crt', path: 'ca.crt' }] },
      });
      expect(deployment.metadata.annotations['configmap.reloader.stakater.com/reload']).toBe('silo-ca-bundle');
    }
  });

  it('carries old and new CA during a rotation: certificates from either verify against the bundle (openssl), others do not', () => {
    const oldCa = issueCa('old federation CA');
    const newCa = issueCa('new federation CA');
    const stranger = issueCa('unrelated CA');
    const leaf = (issuer: typeof oldCa) =>
      issueCertificate({ commonName: 'superlink', dnsNames: ['fl.example.com'], extendedKeyUsage: ['serverAuth'], issuer });
    const base64 = (pem: string) => Buffer.from(pem).toString('base64');
    const rotated = generate({ ...crossSiloSpec, tls: { caBundle: [base64(oldCa.certPem), base64(newCa.certPem)] } });
    const file = rotated.files.find(f => f.path === 'deploy/clusters/hospital-a/participants/hospital-a/trust.yaml')!;
    const bundlePem: string = (parseAllDocuments(file.content)[0].toJS() as any).data['ca.crt'];
    const cas = splitPem(bundlePem).map(pem => new X509Certificate(pem));
    expect(cas.map(ca => ca.subject)).toEqual(['CN=old federation CA', 'CN=new federation CA']);
    const dir = mkdtempSync(join(tmpdir(), 'flsec-bundle-'));
    try {
      writeFileSync(join(dir, 'bundle.pem'), bundlePem);
      const verify = (issued: ReturnType<typeof leaf>) => {
        writeFileSync(join(dir, 'leaf.pem'), issued.certPem);
        try {
          execFileSync('openssl', ['verify', '-CAfile', 'bundle.pem', 'leaf.pem'], { cwd: dir, stdio: 'pipe' });
          return true;
        } catch {
          return false;
        }
      };
      expect(verify(leaf(oldCa))).toBe(true);
      expect(verify(leaf(newCa))).toBe(true);
      expect(verify(leaf(stranger))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the fixed rotation fixtures in spec order in both distributions', () => {
    const pem = (b64: string) => `${Buffer.from(b64, 'base64').toString('utf8').trim()}\n`;
    const configMap = find(siteA, 'ConfigMap')[0] as any;
    expect(configMap.data['ca.crt']).toBe(pem(OLD_CA_BASE64) + pem(NEW_CA_BASE64));
    const bundle = find(siteB, 'Bundle')[0] as any;
    expect(bundle.spec.sources).toEqual([{ inLine: pem(OLD_CA_BASE64) }, { inLine: pem(NEW_CA_BASE64) }]);
  });

  it('documents per-bundle apply, in-site key registration, CA rotation and per-bundle checks in deploy/README.md', () => {
    const readme = tree.get('deploy/README.md')!;
    expect(readme).not.toContain('kubectl apply -k deploy/`');
    for (const expected of [
      'kubectl --context hospital-a apply --server-side -k deploy/clusters/hospital-a',
      'kubectl --context hospital-a -n silo-hospital-a logs deploy/supernode -c node-auth-keygen > hospital-a.pub',
      'flwr supernode register hospital-a.pub silo',
      'Rotation (old and new CA together)',
      'fl-security check deploy/clusters/hospital-b',
      'fl-security check deploy/clusters/hub deploy/clusters/hospital-b',
    ]) {
      expect(readme).toContain(expected);
    }
    // The out-of-band key recipe names a site of the aggregator's cluster only.
    expect(readme).toContain('kubectl -n silo-local create secret generic supernode-node-auth');
  });
});
