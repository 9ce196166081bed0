/**
 * One certificate as the validator sees it: Node's crypto.X509Certificate
 * (OpenSSL: DER, signatures, fingerprints) plus the extensions pkijs decodes.
 * Parsing takes bytes from possibly hostile Secrets: it never throws, it
 * returns a typed error.
 */
import { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  DecodedExtensions,
  NameAttribute,
  OID,
  decodeExtensions,
  nameAttributes,
} from './extensions';

export interface Certificate {
  readonly node: X509Certificate;
  readonly der: Uint8Array;
  readonly fingerprint256: string;
  /** One-line subject for messages: `CN=x, O=y`. */
  readonly subject: string;
  readonly issuer: string;
  /** DER of the subject and issuer Name: names chain by exact bytes (as webpki and Go do). */
  readonly subjectDer: string;
  readonly issuerDer: string;
  /** DER of the SubjectPublicKeyInfo: with the subject, the "logical CA". */
  readonly spkiDer: string;
  /** X.509 version as written (0 = v1, 2 = v3). */
  readonly version: number;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: DecodedExtensions;
  /** Common names and emailAddress attributes of the subject. */
  readonly subjectCommonNames: string[];
  readonly subjectEmails: string[];
  readonly subjectAttributes: NameAttribute[];
  readonly subjectEmpty: boolean;
  readonly issuerEmpty: boolean;
}

export type ParseErrorCode = 'empty' | 'not-der' | 'unreadable' | 'too-large';

export interface ParseError {
  code: ParseErrorCode;
  message: string;
}

export type ParseResult =
  | { ok: true; certificate: Certificate }
  | { ok: false; error: ParseError };

/** Larger than any real certificate; bounds the work hostile input can cause. */
export const MAX_CERTIFICATE_BYTES = 256 * 1024;

const cache = new WeakMap<X509Certificate, ParseResult>();
const byFingerprint = new Map<string, ParseResult>();
const BY_FINGERPRINT_LIMIT = 20_000;

function hex(view: ArrayBuffer | Uint8Array): string {
  return Buffer.from(
    view instanceof Uint8Array ? view : new Uint8Array(view),
  ).toString('hex');
}

function oneLine(distinguishedName: string): string {
  return distinguishedName.split('\n').filter(Boolean).join(', ');
}

function attributeValues(
  name: pkijs.RelativeDistinguishedNames,
  oid: string,
): string[] {
  return name.typesAndValues
    .filter(t => t.type === oid)
    .map(t => String((t.value as any)?.valueBlock?.value ?? ''));
}

/** Node's error text without OpenSSL's numeric prefix (never key bytes: these are certificates). */
function reason(e: unknown): string {
  return e instanceof Error
    ? e.message.replace(/^error:[0-9A-F]+:/, '').slice(0, 200)
    : 'unreadable';
}

function fail(code: ParseErrorCode, message: string): ParseResult {
  return { ok: false, error: { code, message } };
}

function build(node: X509Certificate): ParseResult {
  const der = new Uint8Array(node.raw);
  let decoded: pkijs.Certificate;
  try {
    // The DER must decode completely: trailing bytes are not a certificate.
    const asn1 = asn1js.fromBER(der);
    if (asn1.offset === -1)
      return fail(
        'unreadable',
        `the certificate cannot be decoded (${String(
          asn1.result.error || 'invalid DER',
        ).slice(0, 100)})`,
      );
    if (asn1.offset !== der.byteLength)
      return fail('not-der', 'the certificate has trailing bytes');
    decoded = new pkijs.Certificate({ schema: asn1.result });
  } catch (e) {
    return fail(
      'unreadable',
      `the certificate cannot be decoded (${reason(e)})`,
    );
  }
  let subject: string;
  let issuer: string;
  try {
    subject = oneLine(node.subject);
    issuer = oneLine(node.issuer);
  } catch (e) {
    return fail(
      'unreadable',
      `the certificate names cannot be read (${reason(e)})`,
    );
  }
  const certificate: Certificate = {
    node,
    der,
    fingerprint256: node.fingerprint256,
    subject,
    issuer,
    subjectDer: hex(decoded.subject.valueBeforeDecode),
    issuerDer: hex(decoded.issuer.valueBeforeDecode),
    spkiDer: hex(decoded.subjectPublicKeyInfo.toSchema().toBER()),
    version: decoded.version,
    notBefore: decoded.notBefore.value,
    notAfter: decoded.notAfter.value,
    extensions: decodeExtensions(decoded),
    subjectCommonNames: attributeValues(decoded.subject, OID.commonName),
    subjectEmails: attributeValues(decoded.subject, OID.emailAddress),
    subjectAttributes: nameAttributes(decoded.subject),
    subjectEmpty: decoded.subject.typesAndValues.length === 0,
    issuerEmpty: decoded.issuer.typesAndValues.length === 0,
  };
  return { ok: true, certificate };
}

/**
 * A certificate from DER bytes, one PEM block, or an already parsed Node
 * certificate. Never throws.
 */
export function parseCertificate(
  input: Uint8Array | string | X509Certificate,
): ParseResult {
  try {
    if (input instanceof X509Certificate) {
      const known = cache.get(input);
      if (known) return known;
      const result = byFingerprintMemo(input);
      cache.set(input, result);
      return result;
    }
    const size = typeof input === 'string' ? input.length : input.byteLength;
    if (size === 0) return fail('empty', 'no certificate bytes');
    if (size > MAX_CERTIFICATE_BYTES * 2)
      return fail(
        'too-large',
        `the certificate is larger than ${MAX_CERTIFICATE_BYTES} bytes`,
      );
    let node: X509Certificate;
    try {
      node = new X509Certificate(
        typeof input === 'string' ? input : Buffer.from(input),
      );
    } catch (e) {
      return fail('not-der', `not a valid certificate (${reason(e)})`);
    }
    return byFingerprintMemo(node);
  } catch (e) {
    return fail('unreadable', `the certificate cannot be read (${reason(e)})`);
  }
}

/** Certificates are immutable: the same bytes decode once per process. */
function byFingerprintMemo(node: X509Certificate): ParseResult {
  const print = node.fingerprint256;
  const known = byFingerprint.get(print);
  if (known) return known;
  const result = build(node);
  if (byFingerprint.size >= BY_FINGERPRINT_LIMIT) byFingerprint.clear();
  byFingerprint.set(print, result);
  return result;
}

/** True when subject and issuer are the same name (RFC 5280 "self-issued"). */
export function isSelfIssued(cert: Certificate): boolean {
  return cert.subjectDer === cert.issuerDer;
}
