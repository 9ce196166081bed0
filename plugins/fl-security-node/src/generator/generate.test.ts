import { parseAllDocuments } from 'yaml';
import {
  ALLOWED_SOURCES_ANNOTATION,
  FederationSpec,
  KUBERNETES_ID_LABEL,
  parseFederationSpec,
  ROLE_LABEL,
} from '@fl-security/plugin-fl-security-common';
import { generateFederationProject, generateFromInput, SPEC_FILE } from './generate';
import { flowerProcesses } from './flower';
import { Manifest } from './meta';
import { crossSiloSpec, smallSpec, specVariants } from './__testUtils__/specs';

function generate(input: unknown) {
  return generateFederationProject(parseFederationSpec(input));
}

function objectsOfFiles(files: { path: string; content: string }[]): Manifest[] {
  return files
    .filter(file => file.path.endsWith('.yaml') && !file.path.endsWith('kustomization.yaml') && file.path !== SPEC_FILE)
    .flatMap(file => parseAllDocuments(file.content).map(doc => doc.toJS() as Manifest));
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

/** SANs of the SuperLink certificate, whichever PKI issues it. */
function serverSans(spec: FederationSpec, objects: Manifest[]): { dnsNames: string[]; ips: string[] } {
  const ns = spec.aggregator.namespace;
  const byKind = (kind: string) => objects.find(o => o.kind === kind && o.metadata.namespace === ns) as any;
  const certificate = byKind('Certificate');
  if (certificate) return { dnsNames: certificate.spec.dnsNames, ips: certificate.spec.ipAddresses };
  const vso = byKind('VaultPKISecret');
  if (vso) return { dnsNames: [vso.spec.commonName, ...vso.spec.altNames], ips: vso.spec.ipSans };
  // Vault Agent: the names are parameters of the pkiCert call in the template.
  const template: string = byKind('Deployment').spec.template.metadata.annotations[
    'vault.hashicorp.com/agent-inject-template-tls.crt'
  ];
  const param = (key: string) => new RegExp(`"${key}=([^"]*)"`).exec(template)![1].split(',');
  return { dnsNames: [...param('common_name'), ...param('alt_names')], ips: param('ip_sans') };
}

describe('generateFederationProject', () => {
  it('renders a small federation (snapshot)', () => {
    const project = generate(smallSpec);
    const tree = Object.fromEntries(project.files.map(file => [file.path, file.content]));
    expect(tree).toMatchSnapshot();
  });

  it('is deterministic: same spec, byte-identical files, whatever the participant order', () => {
    const first = generate(smallSpec).files;
    const again = generate(structuredClone(smallSpec)).files;
    const reordered = generate({ ...smallSpec, participants: [...smallSpec.participants].reverse() }).files;
    expect(again).toEqual(first);
    expect(reordered).toEqual(first);
  });

  it('regenerates itself from its own normalized federation.yaml', () => {
    const project = generate(smallSpec);
    const specFile = project.files.find(file => file.path === SPEC_FILE)!;
    const reparsed = parseAllDocuments(specFile.content)[0].toJS();
    expect(generate(reparsed).files).toEqual(project.files);
  });

  it('writes every object of deploy/ into a file listed by a kustomization', () => {
    const project = generate(specVariants['vault issuer + gateway-api + istio']);
    const paths = new Set(project.files.map(file => file.path));
    const kustomizations = project.files.filter(file => file.path.endsWith('kustomization.yaml'));
    const listed = new Set<string>();
    for (const file of kustomizations) {
      const dir = file.path.slice(0, -'kustomization.yaml'.length);
      const { resources } = parseAllDocuments(file.content)[0].toJS() as { resources: string[] };
      for (const resource of resources) {
        const target = `${dir}${resource}`;
        expect(paths.has(target) || paths.has(`${target}/kustomization.yaml`)).toBe(true);
        listed.add(target);
      }
    }
    const manifestFiles = project.files.filter(
      file => file.path.startsWith('deploy/') && file.path.endsWith('.yaml') && !file.path.endsWith('kustomization.yaml'),
    );
    for (const file of manifestFiles) expect(listed.has(file.path)).toBe(true);
    const key = (o: Manifest) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const sorted = (list: Manifest[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sorted(objectsOfFiles(project.files))).toEqual(sorted(project.objects));
  });

  it('outputs the entity annotations', () => {
    expect(generate(smallSpec).annotations).toEqual({
      'backstage.io/kubernetes-id': 'demo',
      'backstage.io/kubernetes-namespace': 'demo-aggregator',
      'fl-security/namespaces': 'demo-aggregator,demo-site-a,demo-site-b',
    });
  });

  it('names every cluster of a cross-silo federation and each namespace in its own cluster', () => {
    expect(generate(crossSiloSpec).annotations).toEqual({
      'backstage.io/kubernetes-id': 'silo',
      'fl-security/clusters': 'hub,hospital-a,hospital-b',
      'fl-security/namespaces':
        'hub/silo-aggregator,hospital-a/silo-hospital-a,hospital-b/silo-hospital-b,hospital-b/lab-fl,hub/silo-local',
    });
  });

  it('refuses invalid input without generating anything', () => {
    const result = generateFromInput({ name: 'bad name', participants: [] });
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty('files');
  });
});

describe.each(Object.entries(specVariants))('properties of "%s"', (_label, input) => {
  const spec: FederationSpec = parseFederationSpec(input);
  const project = generateFederationProject(spec);
  const objects = objectsOfFiles(project.files);
  const flNamespaces = [spec.aggregator.namespace, ...spec.participants.map(p => p.namespace)];

  it('labels every object (and every pod template) with the federation and a role', () => {
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      expect(object.metadata.labels[KUBERNETES_ID_LABEL]).toBe(spec.name);
      expect(object.metadata.labels[ROLE_LABEL]).toMatch(/^(aggregator|participant|pki|network|mesh|rbac)$/);
    }
    const workloads = objects.filter(o => WORKLOAD_KINDS.includes(o.kind)) as any[];
    expect(workloads).toHaveLength(1 + spec.participants.length);
    for (const workload of workloads) {
      const templateLabels = workload.spec.template.metadata.labels;
      expect(templateLabels[KUBERNETES_ID_LABEL]).toBe(spec.name);
      expect(['aggregator', 'participant']).toContain(templateLabels[ROLE_LABEL]);
    }
  });

  it('puts every namespaced object into an FL namespace or the cert-manager namespace', () => {
    const namespaced = objects.filter(o => o.metadata.namespace);
    expect(namespaced.length).toBeGreaterThan(0);
    for (const object of namespaced) {
      expect([...flNamespaces, spec.tls.certManagerNamespace]).toContain(object.metadata.namespace);
    }
  });

  it('default-denies ingress and egress in every FL namespace, which enforces restricted pods', () => {
    for (const ns of flNamespaces) {
      const namespace = objects.find(o => o.kind === 'Namespace' && o.metadata.name === ns)!;
      expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
      const deny = objects.find(
        o =>
          o.kind === 'NetworkPolicy' &&
          o.metadata.namespace === ns &&
          JSON.stringify((o as any).spec.podSelector) === '{}' &&
          !(o as any).spec.ingress &&
          !(o as any).spec.egress,
      ) as any;
      expect(deny?.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    }
  });

  it('allows ingress only to the aggregator fleet port, only from participants and declared sources', () => {
    const ingressRules = objects
      .filter(o => o.kind === 'NetworkPolicy' && (o as any).spec.ingress)
      .flatMap(o => (o as any).spec.ingress.map((rule: any) => ({ ns: o.metadata.namespace, policy: o, rule })));
    expect(ingressRules).toHaveLength(1);
    const [{ ns, policy, rule }] = ingressRules;
    expect(ns).toBe(spec.aggregator.namespace);
    expect((policy as any).spec.podSelector.matchLabels[ROLE_LABEL]).toBe('aggregator');
    expect(rule.ports).toEqual([{ protocol: 'TCP', port: spec.aggregator.port }]);
    const participantPeers = rule.from.filter((peer: any) => peer.podSelector);
    expect(participantPeers).toHaveLength(spec.participants.length);
    const otherPeers = rule.from.filter((peer: any) => !peer.podSelector);
    const deployment = objects.find(o => o.kind === 'Deployment' && o.metadata.namespace === spec.aggregator.namespace)!;
    const declared = deployment.metadata.annotations![ALLOWED_SOURCES_ANNOTATION].split(',').filter(Boolean);
    const peersAsSources = otherPeers.map((peer: any) =>
      peer.ipBlock ? peer.ipBlock.cidr : `namespace/${peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name']}`,
    );
    expect(peersAsSources.sort()).toEqual([...declared].sort());
  });

  it('issues a SuperLink certificate whose SANs cover every name clients dial', () => {
    const dialled = flowerProcesses(spec).participants.map(p => {
      const address = p.args[p.args.indexOf('--superlink') + 1];
      return address.slice(0, address.lastIndexOf(':'));
    });
    if (spec.network.externalHost) dialled.push(spec.network.externalHost);
    dialled.push(`superlink.${spec.aggregator.namespace}.svc.${spec.clusterDomain}`);
    expect(serverSans(spec, objects).dnsNames).toEqual(expect.arrayContaining(dialled));
    expect(serverSans(spec, objects).ips).toEqual(['127.0.0.1']);
  });

  it('gives every cert-manager Certificate a strong key, a bounded lifetime and a renewal', () => {
    for (const cert of objects.filter(o => o.kind === 'Certificate') as any[]) {
      const { algorithm, size } = cert.spec.privateKey;
      expect(algorithm === 'ECDSA' ? size >= 256 : size >= 2048).toBe(true);
      expect(cert.spec.duration).toMatch(/h$/);
      expect(cert.spec.renewBefore).toMatch(/h$/);
    }
    const leaves = objects.filter(o => o.kind === 'Certificate' && !(o as any).spec.isCA) as any[];
    for (const cert of leaves) {
      expect(cert.spec.usages.some((u: string) => u === 'server auth' || u === 'client auth')).toBe(true);
    }
  });

  it('hardens every pod', () => {
    for (const workload of objects.filter(o => WORKLOAD_KINDS.includes(o.kind)) as any[]) {
      const pod = workload.spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.image).not.toMatch(/:latest$/);
      }
    }
  });

  it('runs the SuperLink as one replica with Recreate, TLS and node authentication', () => {
    const superlink = objects.find(o => o.kind === 'Deployment' && o.metadata.name === 'superlink') as any;
    expect(superlink.spec.replicas).toBe(1);
    expect(superlink.spec.strategy).toEqual({ type: 'Recreate' });
    const { args } = superlink.spec.template.spec.containers[0];
    expect(args).toEqual(flowerProcesses(spec).aggregator.args);
    expect(args).not.toContain('--insecure');
    expect(args).toContain('--enable-supernode-auth');
  });

  it('exposes only the fleet port through a Service and never terminates TLS at the edge', () => {
    const services = objects.filter(o => o.kind === 'Service') as any[];
    expect(services).toHaveLength(1);
    expect(services[0].spec.type).toBe('ClusterIP');
    expect(services[0].spec.ports.map((p: any) => p.port)).toEqual([spec.aggregator.port]);
    for (const ingress of objects.filter(o => o.kind === 'Ingress') as any[]) {
      expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/ssl-passthrough']).toBe('true');
      expect(ingress.spec.tls[0].secretName).toBeUndefined();
    }
  });

  it('grants the portal only named Secrets, per FL namespace', () => {
    const roles = objects.filter(o => o.kind === 'Role' && o.metadata.name === 'fl-security-portal-read') as any[];
    expect(roles.map(r => r.metadata.namespace).sort()).toEqual([...flNamespaces].sort());
    for (const role of roles) {
      for (const rule of role.rules.filter((r: any) => r.resources.includes('secrets'))) {
        expect(rule.verbs).toEqual(['get']);
        expect(rule.resourceNames.length).toBeGreaterThan(0);
      }
      expect(role.rules.some((r: any) => r.verbs.includes('*') || r.resources.includes('*'))).toBe(false);
    }
  });
});
