import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  certPem: string;
  keyPem: string;
  caPem: string;
}

/**
 * A CA and a leaf certificate made by the openssl command line (tests only;
 * the product parses certificates with node:crypto).
 */
export function createTestCertificate(options: {
  commonName: string;
  dnsNames: string[];
  ipAddresses?: string[];
  days?: number;
  keyType?: 'ec' | 'rsa';
}): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'fl-sec-cert-'));
  const run = (args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const keyArgs =
    options.keyType === 'rsa'
      ? ['-newkey', 'rsa:2048']
      : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  try {
    run([
      'req',
      '-x509',
      '-nodes',
      ...keyArgs,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '3650',
      '-subj',
      '/CN=fl-security test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    run([
      'req',
      '-new',
      '-nodes',
      ...keyArgs,
      '-keyout',
      'leaf.key',
      '-out',
      'leaf.csr',
      '-subj',
      `/CN=${options.commonName}`,
    ]);
    const sans = [
      ...options.dnsNames.map(name => `DNS:${name}`),
      ...(options.ipAddresses ?? []).map(ip => `IP:${ip}`),
    ];
    writeFileSync(
      join(dir, 'ext.cnf'),
      `subjectAltName=${sans.join(',')}\nextendedKeyUsage=serverAuth\n`,
    );
    run([
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'leaf.crt',
      '-days',
      String(options.days ?? 90),
      '-extfile',
      'ext.cnf',
    ]);
    return {
      certPem: readFileSync(join(dir, 'leaf.crt'), 'utf8'),
      keyPem: readFileSync(join(dir, 'leaf.key'), 'utf8'),
      caPem: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const base64 = (text: string) => Buffer.from(text).toString('base64');
