/**
 * Test certificates with arbitrary extensions, issued by the openssl binary
 * at run time (keys are generated per run, never committed): CA:FALSE
 * intermediates, pathLen, name constraints, unknown critical extensions,
 * anyExtendedKeyUsage, IPv6 SANs.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Certificate, parseCertificate } from '../certificate';

export interface Issued {
  pem: string;
  keyPem: string;
  node: X509Certificate;
  cert: Certificate;
}

export interface IssueSpec {
  /** openssl -subj form: `/CN=Mid`. */
  subject: string;
  /** openssl extension lines (`basicConstraints=critical,CA:TRUE`). */
  ext: string[];
  issuer?: Issued;
  days?: number;
  /** Reuse this key (same logical CA for re-issued certificates). */
  keyPem?: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function issue(spec: IssueSpec): Issued {
  const dir = mkdtempSync(join(tmpdir(), 'fl-x509-'));
  try {
    if (spec.keyPem) writeFileSync(join(dir, 'key.pem'), spec.keyPem);
    else
      openssl(
        [
          'genpkey',
          '-algorithm',
          'EC',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-out',
          'key.pem',
        ],
        dir,
      );
    writeFileSync(join(dir, 'ext.cnf'), `[v3]\n${spec.ext.join('\n')}\n`);
    openssl(
      [
        'req',
        '-new',
        '-key',
        'key.pem',
        '-subj',
        spec.subject,
        '-out',
        'req.csr',
      ],
      dir,
    );
    const common = [
      '-days',
      String(spec.days ?? 30),
      '-sha256',
      '-extfile',
      'ext.cnf',
      '-extensions',
      'v3',
      '-set_serial',
      `0x${Math.floor(Math.random() * 2 ** 48).toString(16)}`,
      '-out',
      'cert.pem',
    ];
    if (spec.issuer) {
      writeFileSync(join(dir, 'ca.pem'), spec.issuer.pem);
      writeFileSync(join(dir, 'ca.key'), spec.issuer.keyPem);
      openssl(
        [
          'x509',
          '-req',
          '-in',
          'req.csr',
          '-CA',
          'ca.pem',
          '-CAkey',
          'ca.key',
          ...common,
        ],
        dir,
      );
    } else {
      openssl(
        ['x509', '-req', '-in', 'req.csr', '-signkey', 'key.pem', ...common],
        dir,
      );
    }
    const pem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const node = new X509Certificate(pem);
    const parsed = parseCertificate(node);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return {
      pem,
      keyPem: readFileSync(join(dir, 'key.pem'), 'utf8'),
      node,
      cert: parsed.certificate,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const CA_EXT = [
  'basicConstraints=critical,CA:TRUE',
  'keyUsage=critical,keyCertSign,cRLSign',
  'subjectKeyIdentifier=hash',
];

export function leafExt(san: string, eku = 'serverAuth'): string[] {
  return [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    ...(eku ? [`extendedKeyUsage=${eku}`] : []),
    `subjectAltName=${san}`,
  ];
}

/** root → mid → leaf with standard extensions; override any part. */
export function smallPki(
  options: {
    rootExt?: string[];
    midExt?: string[];
    leafExt?: string[];
    leafSan?: string;
  } = {},
): { root: Issued; mid: Issued; leaf: Issued } {
  const root = issue({
    subject: '/CN=Test Root',
    ext: options.rootExt ?? CA_EXT,
    days: 365,
  });
  const mid = issue({
    subject: '/CN=Test Mid',
    ext: options.midExt ?? CA_EXT,
    issuer: root,
    days: 180,
  });
  const leaf = issue({
    subject: '/CN=server.example.com',
    ext:
      options.leafExt ?? leafExt(options.leafSan ?? 'DNS:server.example.com'),
    issuer: mid,
  });
  return { root, mid, leaf };
}

/** `openssl verify` as an independent oracle: true when OpenSSL accepts. */
export function opensslVerifies(options: {
  leaf: string;
  anchors: string[];
  untrusted?: string[];
  host?: { dns?: string; ip?: string };
  attime?: Date;
  purpose?: 'sslserver' | 'sslclient';
}): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fl-x509-verify-'));
  try {
    writeFileSync(join(dir, 'ca.pem'), options.anchors.join('\n'));
    writeFileSync(join(dir, 'leaf.pem'), options.leaf);
    const args = [
      'verify',
      '-partial_chain',
      '-purpose',
      options.purpose ?? 'sslserver',
      '-CAfile',
      'ca.pem',
    ];
    if (options.untrusted?.length) {
      writeFileSync(join(dir, 'untrusted.pem'), options.untrusted.join('\n'));
      args.push('-untrusted', 'untrusted.pem');
    }
    if (options.attime)
      args.push('-attime', String(Math.floor(options.attime.getTime() / 1000)));
    if (options.host?.dns) args.push('-verify_hostname', options.host.dns);
    if (options.host?.ip) args.push('-verify_ip', options.host.ip);
    args.push('leaf.pem');
    try {
      const output = execFileSync('openssl', args, {
        cwd: dir,
        stdio: 'pipe',
        timeout: 30_000,
      }).toString();
      return { ok: true, output };
    } catch (e: any) {
      return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
