import { execFileSync } from 'node:child_process';
import { resolveToolchain } from './paths';

export type KeyAlgorithm = 'ECDSA' | 'RSA' | 'Ed25519';

/** What to put in a test certificate (names as in a cert-manager Certificate). */
export interface CertificateRequest {
  commonName?: string;
  dnsNames?: string[];
  ipAddresses?: string[];
  uris?: string[];
  isCA?: boolean;
  /** Default ECDSA (P-256); RSA defaults to 2048 bits. */
  keyAlgorithm?: KeyAlgorithm;
  keySize?: number;
  notBefore: Date;
  notAfter: Date;
  /** cert-manager usage names, e.g. "digital signature", "server auth". */
  usages?: string[];
  /** Signing CA; self-signed when absent. */
  issuer?: IssuedCertificate;
}

export interface IssuedCertificate {
  certPem: string;
  /** PKCS#8 PEM. Test material only: never log it. */
  keyPem: string;
}

/**
 * Issues one certificate with tools/test-cluster/issuecert (Go crypto/x509),
 * which, unlike the openssl CLI, takes any validity window: expired and
 * not-yet-valid certificates included.
 */
export function issueCertificate(request: CertificateRequest): IssuedCertificate {
  const { issueCert } = resolveToolchain();
  const input = JSON.stringify({
    commonName: request.commonName ?? '',
    dnsNames: request.dnsNames ?? [],
    ipAddresses: request.ipAddresses ?? [],
    uris: request.uris ?? [],
    isCA: request.isCA ?? false,
    keyAlgorithm: request.keyAlgorithm ?? 'ECDSA',
    keySize: request.keySize ?? 0,
    notBefore: request.notBefore.toISOString(),
    notAfter: request.notAfter.toISOString(),
    usages: request.usages ?? [],
    issuer: request.issuer ?? null,
  });
  let output: string;
  try {
    output = execFileSync(issueCert, [], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`issuing a test certificate failed: ${stderr || (error as Error).message}`);
  }
  const parsed = JSON.parse(output);
  return { certPem: parsed.certPem, keyPem: parsed.keyPem };
}
