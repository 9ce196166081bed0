import { applyManifests, ClusterAccess, describeFailures } from './apply';
import { ADMIN_USER } from './credentials';
import { CertificateRequest, IssuedCertificate, issueCertificate, KeyAlgorithm } from './certificates';
import { kubeRequest, statusMessage } from './http';

/**
 * Does what cert-manager's controllers would do for the Certificates in the
 * cluster (no cert-manager controller can be built from the Go module proxy:
 * its cmd/ modules are not published there): issues each certificate as its
 * spec says, signed by the issuer it names, writes the kubernetes.io/tls
 * Secret (tls.crt, tls.key, ca.crt, cert-manager's annotations, the
 * secretTemplate) and the Certificate status (Ready, notBefore, notAfter,
 * renewalTime).
 *
 * Issuers: selfSigned and ca are followed (a CA Issuer signs with the key in
 * its Secret, issued earlier in the same call if needed); any other issuer
 * (vault, acme, external groups) is stood in for by one test CA per call.
 */
export interface IssueCertificatesOptions {
  /** Issue time; default now. */
  now?: Date;
  /** Where ClusterIssuers find their Secrets (cert-manager's cluster resource namespace). */
  clusterResourceNamespace?: string;
  /** Only Certificates in these namespaces; default all. */
  namespaces?: string[];
  /** Only Certificates matching this label selector (e.g. one federation's). */
  labelSelector?: string;
  /**
   * Per-certificate changes, for breaking things on purpose (an expired
   * notAfter, other dnsNames, a weaker key). Applied after the spec.
   */
  override?: (certificate: { namespace: string; name: string }) => Partial<CertificateRequest> | undefined;
}

export interface IssuedCertificateInfo {
  namespace: string;
  name: string;
  secretName: string;
  notAfter: string;
  /** Kind/name of the issuer, or "stand-in" for issuers this emulation cannot run. */
  issuedBy: string;
}

export interface IssueCertificatesResult {
  issued: IssuedCertificateInfo[];
  /** Certificates left as cert-manager would leave them: not Ready, with why. */
  notIssued: { namespace: string; name: string; reason: string }[];
  /** CA of certificates from issuers that were stood in for (vault, acme, ...). */
  standInCaPem?: string;
}

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };

/** Go duration strings as cert-manager takes them: 2160h, 1h30m, 90m0s. */
export function parseGoDuration(value: string): number {
  const parts = value.match(/(\d+(?:\.\d+)?)(h|ms|m|s)/g);
  if (!parts || parts.join('') !== value) {
    throw new Error(`invalid duration ${JSON.stringify(value)}`);
  }
  return parts.reduce((total, part) => {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(h|ms|m|s)$/.exec(part)!;
    return total + Number(amount) * UNIT_SECONDS[unit];
  }, 0);
}

interface CertificateObject {
  metadata: { name: string; namespace: string };
  spec: any;
}

interface IssuerLookup {
  issuers: Map<string, any>;
  clusterIssuers: Map<string, any>;
}

async function list(cluster: ClusterAccess, path: string): Promise<any[]> {
  const response = await kubeRequest(cluster, { path, token: cluster.tokens[ADMIN_USER] });
  if (response.status !== 200) {
    throw new Error(`GET ${path}: ${statusMessage(response)}`);
  }
  return response.body.items ?? [];
}

async function readSecret(cluster: ClusterAccess, namespace: string, name: string) {
  const response = await kubeRequest(cluster, {
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`,
    token: cluster.tokens[ADMIN_USER],
  });
  return response.status === 200 ? response.body : undefined;
}

const decode = (value: string | undefined) => (value ? Buffer.from(value, 'base64').toString('utf8') : '');
const encode = (value: string) => Buffer.from(value).toString('base64');

type Signing =
  | { kind: 'self-signed' }
  | { kind: 'ca'; ca: IssuedCertificate }
  | { kind: 'stand-in' }
  | { kind: 'wait'; reason: string };

async function signingFor(
  cluster: ClusterAccess,
  cert: CertificateObject,
  lookup: IssuerLookup,
  clusterResourceNamespace: string,
): Promise<Signing> {
  const ref = cert.spec.issuerRef ?? {};
  if (ref.group && ref.group !== 'cert-manager.io') {
    return { kind: 'stand-in' };
  }
  const clusterScoped = ref.kind === 'ClusterIssuer';
  const issuer = clusterScoped
    ? lookup.clusterIssuers.get(ref.name)
    : lookup.issuers.get(`${cert.metadata.namespace}/${ref.name}`);
  if (!issuer) {
    return { kind: 'wait', reason: `${ref.kind ?? 'Issuer'} ${ref.name} not found` };
  }
  if (issuer.spec?.selfSigned) {
    return { kind: 'self-signed' };
  }
  if (issuer.spec?.ca) {
    const namespace = clusterScoped ? clusterResourceNamespace : cert.metadata.namespace;
    const secret = await readSecret(cluster, namespace, issuer.spec.ca.secretName);
    if (!secret?.data?.['tls.crt'] || !secret.data['tls.key']) {
      return { kind: 'wait', reason: `CA Secret ${namespace}/${issuer.spec.ca.secretName} not found` };
    }
    return { kind: 'ca', ca: { certPem: decode(secret.data['tls.crt']), keyPem: decode(secret.data['tls.key']) } };
  }
  return { kind: 'stand-in' };
}

function requestFrom(cert: CertificateObject, now: Date): CertificateRequest {
  const spec = cert.spec;
  const lifetime = parseGoDuration(spec.duration ?? '2160h');
  return {
    commonName: spec.commonName,
    dnsNames: spec.dnsNames,
    ipAddresses: spec.ipAddresses,
    uris: spec.uris,
    isCA: spec.isCA ?? false,
    keyAlgorithm: (spec.privateKey?.algorithm as KeyAlgorithm | undefined) ?? 'RSA',
    keySize: spec.privateKey?.size,
    notBefore: now,
    notAfter: new Date(now.getTime() + lifetime * 1000),
    usages: spec.usages ?? ['digital signature', 'key encipherment'],
  };
}

/** cert-manager: renewBefore if shorter than the lifetime, else a third of it. */
function renewalTime(cert: CertificateObject, notBefore: Date, notAfter: Date): Date {
  const lifetime = (notAfter.getTime() - notBefore.getTime()) / 1000;
  let before = lifetime / 3;
  if (cert.spec.renewBefore) {
    const wanted = parseGoDuration(cert.spec.renewBefore);
    if (wanted < lifetime) before = wanted;
  } else if (typeof cert.spec.renewBeforePercentage === 'number') {
    before = (lifetime * cert.spec.renewBeforePercentage) / 100;
  }
  return new Date(notAfter.getTime() - before * 1000);
}

async function store(
  cluster: ClusterAccess,
  cert: CertificateObject,
  issued: IssuedCertificate,
  caPem: string,
  request: CertificateRequest,
  issuerRef: any,
): Promise<void> {
  const template = cert.spec.secretTemplate ?? {};
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: {
      name: cert.spec.secretName,
      namespace: cert.metadata.namespace,
      labels: { ...(template.labels ?? {}), 'controller.cert-manager.io/fao': 'true' },
      annotations: {
        ...(template.annotations ?? {}),
        'cert-manager.io/certificate-name': cert.metadata.name,
        'cert-manager.io/issuer-name': issuerRef.name ?? '',
        'cert-manager.io/issuer-kind': issuerRef.kind ?? 'Issuer',
        'cert-manager.io/issuer-group': issuerRef.group ?? 'cert-manager.io',
        'cert-manager.io/common-name': request.commonName ?? '',
        'cert-manager.io/alt-names': (request.dnsNames ?? []).join(','),
        'cert-manager.io/ip-sans': (request.ipAddresses ?? []).join(','),
        'cert-manager.io/uri-sans': (request.uris ?? []).join(','),
      },
    },
    data: { 'tls.crt': encode(issued.certPem), 'tls.key': encode(issued.keyPem), 'ca.crt': encode(caPem) },
  };
  const stored = await applyManifests(cluster, [secret], { fieldManager: 'cert-manager-certificates-issuing' });
  const failures = describeFailures(stored);
  if (failures) {
    throw new Error(`writing the certificate Secret failed: ${failures}`);
  }
  const notBefore = request.notBefore;
  const notAfter = request.notAfter;
  const status = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: cert.metadata.name, namespace: cert.metadata.namespace },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: notAfter.getTime() > Date.now() ? 'True' : 'False',
          reason: notAfter.getTime() > Date.now() ? 'Ready' : 'Expired',
          message: 'Certificate issued by the fl-security test cluster',
          lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
          observedGeneration: 1,
        },
      ],
      notBefore: notBefore.toISOString().replace(/\.\d+Z$/, 'Z'),
      notAfter: notAfter.toISOString().replace(/\.\d+Z$/, 'Z'),
      renewalTime: renewalTime(cert, notBefore, notAfter).toISOString().replace(/\.\d+Z$/, 'Z'),
      revision: 1,
    },
  };
  const response = await kubeRequest(cluster, {
    method: 'PATCH',
    path: `/apis/cert-manager.io/v1/namespaces/${encodeURIComponent(cert.metadata.namespace)}/certificates/${encodeURIComponent(cert.metadata.name)}/status?fieldManager=cert-manager-certificates-readiness&force=true`,
    token: cluster.tokens[ADMIN_USER],
    body: JSON.stringify(status),
    contentType: 'application/apply-patch+yaml',
  });
  if (response.status !== 200) {
    throw new Error(`writing Certificate status failed: ${statusMessage(response)}`);
  }
}

export async function issueCertificates(
  cluster: ClusterAccess,
  options: IssueCertificatesOptions = {},
): Promise<IssueCertificatesResult> {
  const now = options.now ?? new Date();
  const clusterResourceNamespace = options.clusterResourceNamespace ?? 'cert-manager';
  const lookup: IssuerLookup = {
    issuers: new Map(
      (await list(cluster, '/apis/cert-manager.io/v1/issuers')).map(i => [`${i.metadata.namespace}/${i.metadata.name}`, i]),
    ),
    clusterIssuers: new Map(
      (await list(cluster, '/apis/cert-manager.io/v1/clusterissuers')).map(i => [i.metadata.name, i]),
    ),
  };
  const certificatesPath = options.labelSelector
    ? `/apis/cert-manager.io/v1/certificates?labelSelector=${encodeURIComponent(options.labelSelector)}`
    : '/apis/cert-manager.io/v1/certificates';
  let pending: CertificateObject[] = (await list(cluster, certificatesPath)).filter(
    c => !options.namespaces || options.namespaces.includes(c.metadata.namespace),
  );
  const result: IssueCertificatesResult = { issued: [], notIssued: [] };
  let standIn: IssuedCertificate | undefined;
  // CA chains: a CA Certificate's Secret must exist before its Issuer signs.
  for (let progress = true; pending.length > 0 && progress; ) {
    progress = false;
    const waiting: { cert: CertificateObject; reason: string }[] = [];
    for (const cert of pending) {
      const signing = await signingFor(cluster, cert, lookup, clusterResourceNamespace);
      if (signing.kind === 'wait') {
        waiting.push({ cert, reason: signing.reason });
        continue;
      }
      const request = {
        ...requestFrom(cert, now),
        ...(options.override?.({ namespace: cert.metadata.namespace, name: cert.metadata.name }) ?? {}),
      };
      let ca: IssuedCertificate | undefined;
      if (signing.kind === 'ca') {
        ca = signing.ca;
      } else if (signing.kind === 'stand-in') {
        standIn ??= issueCertificate({
          commonName: 'fl-security test stand-in CA',
          isCA: true,
          notBefore: now,
          notAfter: new Date(now.getTime() + 365 * 86400_000),
          usages: ['cert sign', 'crl sign', 'digital signature'],
        });
        ca = standIn;
      }
      const issued = issueCertificate({ ...request, issuer: request.issuer ?? ca });
      const caPem = (request.issuer ?? ca)?.certPem ?? issued.certPem;
      await store(cluster, cert, issued, caPem, request, cert.spec.issuerRef ?? {});
      result.issued.push({
        namespace: cert.metadata.namespace,
        name: cert.metadata.name,
        secretName: cert.spec.secretName,
        notAfter: request.notAfter.toISOString(),
        issuedBy: signing.kind === 'stand-in' ? 'stand-in' : `${cert.spec.issuerRef?.kind ?? 'Issuer'}/${cert.spec.issuerRef?.name}`,
      });
      progress = true;
    }
    pending = waiting.map(w => w.cert);
    if (!progress) {
      result.notIssued = waiting.map(w => ({ namespace: w.cert.metadata.namespace, name: w.cert.metadata.name, reason: w.reason }));
    }
  }
  if (standIn) {
    result.standInCaPem = standIn.certPem;
  }
  return result;
}
