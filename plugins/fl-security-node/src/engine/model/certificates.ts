/**
 * Certificate material read with Node's crypto.X509Certificate: every PEM
 * block of a bundle, SANs and key details for the inventory, key match.
 * Path validation, names and usages are engine/x509's (CERT-05, CERT-06).
 * Private keys are only passed to checkPrivateKey; nothing derived from them
 * but a boolean ever leaves this module.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type {
  CertificateInfo,
  ResourceRef,
} from '@fl-security/plugin-fl-security-common';
import type { KubeObject } from '../types';
import { DAY_MS } from './durations';
import { record, str } from './objects';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

export interface PemCertificates {
  certs: X509Certificate[];
  /** Why the bundle (or one of its blocks) could not be read. */
  error?: string;
}

/**
 * Readable bundles by their PEM text: every participant's Secret carries the
 * same CA, and scheduled scans see the same certificates again. Certificates
 * are immutable, so sharing the parsed objects keeps the engine pure.
 */
const PARSED_PEM_MEMO_LIMIT = 20_000;
const parsedPemMemo = new Map<string, readonly X509Certificate[]>();

/** Reads every CERTIFICATE block; any unreadable block is an error. */
export function parsePemCertificates(
  text: string,
  what: string,
): PemCertificates {
  const known = parsedPemMemo.get(text);
  if (known) return { certs: [...known] };
  const certs: X509Certificate[] = [];
  const blocks = [...text.matchAll(PEM_BLOCK)].filter(
    m => m[1] === 'CERTIFICATE',
  );
  if (blocks.length === 0)
    return { certs, error: `${what} holds no PEM certificate` };
  for (const [index, block] of blocks.entries()) {
    try {
      certs.push(new X509Certificate(block[0]));
    } catch (e) {
      const reason =
        e instanceof Error
          ? e.message.replace(/^error:[0-9A-F]+:/, '')
          : 'unreadable';
      return {
        certs,
        error: `${what}: PEM block ${
          index + 1
        } is not a valid certificate (${reason})`,
      };
    }
  }
  if (parsedPemMemo.size >= PARSED_PEM_MEMO_LIMIT) parsedPemMemo.clear();
  parsedPemMemo.set(text, [...certs]);
  return { certs };
}

export type DataValue =
  | { ok: true; text: string }
  | { ok: false; error: string };

/** A value of Secret `data` (base64) or `stringData`, or undefined when absent. */
export function secretValue(
  secret: KubeObject,
  key: string,
): DataValue | undefined {
  const stringData = record(secret.stringData);
  const plain = str(stringData[key]);
  if (plain !== undefined) return { ok: true, text: plain };
  const encoded = record(secret.data)[key];
  if (encoded === undefined || encoded === null) return undefined;
  if (typeof encoded !== 'string' || !/^[A-Za-z0-9+/=\s]*$/.test(encoded)) {
    return { ok: false, error: `${key} is not base64` };
  }
  return { ok: true, text: Buffer.from(encoded, 'base64').toString('utf8') };
}

export function configMapValue(
  configMap: KubeObject,
  key: string,
): string | undefined {
  return str(record(configMap.data)[key]);
}

export interface TlsMaterial {
  type?: string;
  /** tls.crt blocks: leaf first, then intermediates. */
  chain: X509Certificate[];
  /** ca.crt blocks. */
  ca: X509Certificate[];
  /** Why tls.crt could not be read (absent, not base64, garbage PEM). */
  chainError?: string;
  caError?: string;
  /** Undefined when tls.key is absent or unreadable (see keyError). */
  keyMatches?: boolean;
  keyError?: string;
}

const materialCache = new WeakMap<KubeObject, TlsMaterial>();

/** Parses a TLS Secret once; never throws. */
export function tlsMaterial(secret: KubeObject): TlsMaterial {
  const cached = materialCache.get(secret);
  if (cached) return cached;
  const material: TlsMaterial = { type: str(secret.type), chain: [], ca: [] };
  const crt = secretValue(secret, 'tls.crt');
  if (!crt) material.chainError = 'tls.crt is missing';
  else if (!crt.ok) material.chainError = crt.error;
  else {
    const parsed = parsePemCertificates(crt.text, 'tls.crt');
    material.chain = parsed.certs;
    material.chainError = parsed.error;
  }
  const ca = secretValue(secret, 'ca.crt');
  if (ca && !ca.ok) material.caError = ca.error;
  else if (ca?.ok && ca.text.trim() !== '') {
    const parsed = parsePemCertificates(ca.text, 'ca.crt');
    material.ca = parsed.certs;
    material.caError = parsed.error;
  }
  const key = secretValue(secret, 'tls.key');
  if (!key) material.keyError = 'tls.key is missing';
  else if (!key.ok) material.keyError = key.error;
  else if (material.chain.length > 0) {
    try {
      material.keyMatches = material.chain[0].checkPrivateKey(
        createPrivateKey(key.text),
      );
    } catch {
      // The OpenSSL message could quote key bytes: say only that it failed.
      material.keyError = 'tls.key is not a readable private key';
    }
  }
  materialCache.set(secret, material);
  return material;
}

export interface SubjectAltNames {
  dns: string[];
  ip: string[];
}

/** Parses Node's subjectAltName string (`DNS:a, IP Address:1.2.3.4`, JSON-quoted values). */
export function subjectAltNames(cert: X509Certificate): SubjectAltNames {
  const out: SubjectAltNames = { dns: [], ip: [] };
  const text = cert.subjectAltName ?? '';
  let i = 0;
  while (i < text.length) {
    const colon = text.indexOf(':', i);
    if (colon < 0) break;
    const type = text.slice(i, colon).trim();
    let value: string;
    let next: number;
    if (text[colon + 1] === '"') {
      let end = colon + 2;
      while (end < text.length && text[end] !== '"')
        end += text[end] === '\\' ? 2 : 1;
      try {
        value = JSON.parse(text.slice(colon + 1, end + 1));
      } catch {
        value = text.slice(colon + 2, end);
      }
      next = text.indexOf(', ', end);
    } else {
      next = text.indexOf(', ', colon);
      value = text.slice(colon + 1, next < 0 ? undefined : next);
    }
    if (type === 'DNS') out.dns.push(value);
    else if (type === 'IP Address') out.ip.push(value);
    if (next < 0) break;
    i = next + 2;
  }
  return out;
}

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  'P-256': 256,
  secp384r1: 384,
  'P-384': 384,
  secp521r1: 521,
  'P-521': 521,
  secp256k1: 256,
  secp224r1: 224,
  prime192v1: 192,
};

export interface KeyInfo {
  keyType: string;
  keySize?: number;
  curve?: string;
}

export function keyInfo(cert: X509Certificate): KeyInfo {
  const key = cert.publicKey;
  const keyType = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  if (details.modulusLength) return { keyType, keySize: details.modulusLength };
  if (details.namedCurve) {
    return {
      keyType,
      curve: details.namedCurve,
      keySize: CURVE_BITS[details.namedCurve],
    };
  }
  return { keyType };
}

export function oneLine(distinguishedName: string): string {
  return distinguishedName.split('\n').filter(Boolean).join(', ');
}

export function daysLeft(cert: X509Certificate, now: Date): number {
  return Math.floor((cert.validToDate.getTime() - now.getTime()) / DAY_MS);
}

export function certificateInfo(
  cert: X509Certificate,
  source: ResourceRef,
  chainIndex: number,
  now: Date,
): CertificateInfo {
  const sans = subjectAltNames(cert);
  const key = keyInfo(cert);
  return {
    source,
    chainIndex,
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    dnsNames: sans.dns,
    ipAddresses: sans.ip,
    serialNumber: cert.serialNumber,
    notBefore: cert.validFromDate.toISOString(),
    notAfter: cert.validToDate.toISOString(),
    daysLeft: daysLeft(cert, now),
    keyType: key.keyType,
    keySize: key.keySize,
    curve: key.curve,
    signatureAlgorithm: cert.signatureAlgorithm,
    fingerprintSha256: cert.fingerprint256,
    isCA: cert.ca,
  };
}

/**
 * Signature checks by (child, parent) fingerprint (CERT-04's self-signed
 * roots). The answer depends only on the two certificates' bytes, so the
 * engine stays a pure function; the memo spares repeated scans the
 * public-key operation.
 */
const SIGNED_BY_MEMO_LIMIT = 50_000;
const signedByMemo = new Map<string, boolean>();

function signedBy(child: X509Certificate, parent: X509Certificate): boolean {
  const key = `${child.fingerprint256}|${parent.fingerprint256}`;
  const known = signedByMemo.get(key);
  if (known !== undefined) return known;
  let verified: boolean;
  try {
    // checkIssued: "this certificate was issued by the given one" (names, key ids).
    verified = child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    verified = false;
  }
  if (signedByMemo.size >= SIGNED_BY_MEMO_LIMIT) signedByMemo.clear();
  signedByMemo.set(key, verified);
  return verified;
}

/** True for a self-signed certificate (trust anchor of its own). */
export function isSelfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && signedBy(cert, cert);
}
