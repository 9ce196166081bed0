/**
 * Test certificates issued with the openssl binary: real X.509 with chosen
 * key types, signature hashes, SANs, usages and CA chains (including the
 * weak ones the rules must catch). For tests only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KeySpec =
  | 'ec-p256'
  | 'ec-p384'
  | 'ec-p521'
  | 'ec-p224'
  | 'rsa-1024'
  | 'rsa-2048'
  | 'rsa-3072'
  | 'rsa-4096'
  | 'ed25519';

export interface Issued {
  certPem: string;
  keyPem: string;
}

export interface IssueOptions {
  commonName: string;
  dnsNames?: string[];
  ipAddresses?: string[];
  uris?: string[];
  key?: KeySpec;
  hash?: 'sha256' | 'sha1' | 'sha384';
  days?: number;
  /** Extended key usages (openssl names): serverAuth, clientAuth. Omitted: no EKU extension. */
  extendedKeyUsage?: string[];
  isCA?: boolean;
  /** Signing CA; self-signed when absent. */
  issuer?: Issued;
  /** Certificates with the same key type and keyName share a key (generation is slow). */
  keyName?: string;
}

const keyCache = new Map<string, string>();

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function generateKey(spec: KeySpec, name: string, dir: string): string {
  const cached = keyCache.get(`${spec}/${name}`);
  if (cached) return cached;
  const args: Record<KeySpec, string[]> = {
    'ec-p256': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    'ec-p384': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
    'ec-p521': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
    'ec-p224': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-224'],
    'rsa-1024': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
    'rsa-2048': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    'rsa-3072': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'],
    'rsa-4096': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'],
    ed25519: ['-algorithm', 'ED25519'],
  };
  openssl(['genpkey', ...args[spec], '-out', 'gen.key'], dir);
  const pem = readFileSync(join(dir, 'gen.key'), 'utf8');
  keyCache.set(`${spec}/${name}`, pem);
  return pem;
}

/**
 * Issues a certificate. Keys are cached per key type (tests need distinct
 * keys only where they say so: pass a different KeySpec).
 */
export function issueCertificate(options: IssueOptions): Issued {
  const dir = mkdtempSync(join(tmpdir(), 'fl-security-cert-'));
  try {
    const key = options.key ?? 'ec-p256';
    const keyPem = generateKey(
      key,
      options.keyName ?? (options.isCA ? `ca:${options.commonName}` : 'leaf'),
      dir,
    );
    writeFileSync(join(dir, 'leaf.key'), keyPem);
    const sans = [
      ...(options.dnsNames ?? []).map(n => `DNS:${n}`),
      ...(options.ipAddresses ?? []).map(n => `IP:${n}`),
      ...(options.uris ?? []).map(n => `URI:${n}`),
    ];
    const ext = [
      '[v3]',
      `basicConstraints=critical,CA:${options.isCA ? 'TRUE' : 'FALSE'}`,
      options.isCA
        ? 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature'
        : 'keyUsage=critical,digitalSignature',
      'subjectKeyIdentifier=hash',
      ...(options.issuer ? ['authorityKeyIdentifier=keyid'] : []),
      ...(sans.length ? [`subjectAltName=${sans.join(',')}`] : []),
      ...(options.extendedKeyUsage?.length
        ? [`extendedKeyUsage=${options.extendedKeyUsage.join(',')}`]
        : []),
    ].join('\n');
    writeFileSync(join(dir, 'ext.cnf'), `${ext}\n`);
    openssl(
      [
        'req',
        '-new',
        '-key',
        'leaf.key',
        '-subj',
        `/CN=${options.commonName}`,
        '-out',
        'leaf.csr',
      ],
      dir,
    );
    const common = [
      '-days',
      String(options.days ?? 90),
      `-${options.hash ?? 'sha256'}`,
      '-extfile',
      'ext.cnf',
      '-extensions',
      'v3',
      '-out',
      'leaf.crt',
    ];
    if (options.issuer) {
      writeFileSync(join(dir, 'ca.crt'), options.issuer.certPem);
      writeFileSync(join(dir, 'ca.key'), options.issuer.keyPem);
      openssl(
        [
          'x509',
          '-req',
          '-in',
          'leaf.csr',
          '-CA',
          'ca.crt',
          '-CAkey',
          'ca.key',
          '-set_serial',
          `0x${Math.floor(Math.random() * 1e12).toString(16)}`,
          ...common,
        ],
        dir,
      );
    } else {
      openssl(
        ['x509', '-req', '-in', 'leaf.csr', '-signkey', 'leaf.key', ...common],
        dir,
      );
    }
    return { certPem: readFileSync(join(dir, 'leaf.crt'), 'utf8'), keyPem };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A CA (self-signed, or intermediate when `issuer` is given). */
export function issueCa(
  commonName: string,
  options: Partial<IssueOptions> = {},
): Issued {
  return issueCertificate({
    key: 'ec-p384',
    days: 365,
    ...options,
    commonName,
    isCA: true,
  });
}
