/**
 * The certificate extensions path validation reads, decoded by pkijs (no
 * ASN.1 is parsed here) into plain data. An extension pkijs cannot decode,
 * or whose DER has trailing bytes, is `malformed`: it never silently counts
 * as absent.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  nameConstraints: '2.5.29.30',
  anyExtendedKeyUsage: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  commonName: '2.5.4.3',
  emailAddress: '1.2.840.113549.1.9.1',
} as const;

/**
 * Critical extensions this module processes; any other critical extension
 * makes the certificate unusable (RFC 5280 §4.2), as webpki does. OpenSSL
 * also accepts critical policy extensions without processing them; we do
 * not evaluate policies, so we reject them rather than pass unchecked.
 */
export const UNDERSTOOD_CRITICAL = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.nameConstraints,
]);

export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];

export interface BasicConstraints {
  ca: boolean;
  pathLen?: number;
  critical: boolean;
}

/**
 * One attribute of a distinguished name, flattened in order. String values
 * are compared as RFC 4518 caseIgnoreMatch roughly does (trimmed, inner
 * spaces collapsed, lower case); other values by their DER.
 */
export interface NameAttribute {
  type: string;
  value: string;
}

export function nameAttributes(
  name: pkijs.RelativeDistinguishedNames,
): NameAttribute[] {
  return name.typesAndValues.map(t => {
    const block = (t.value as any)?.valueBlock;
    const value =
      typeof block?.value === 'string'
        ? block.value.trim().replace(/\s+/g, ' ').toLowerCase()
        : `#${Buffer.from(t.value.toBER()).toString('hex')}`;
    return { type: t.type, value };
  });
}

/** A GeneralName in the forms the validator distinguishes. */
export type GeneralName =
  | { kind: 'dns'; value: string }
  | { kind: 'ip'; bytes: Uint8Array }
  | { kind: 'email'; value: string }
  | { kind: 'uri'; value: string }
  | { kind: 'dn'; attributes: NameAttribute[] }
  | { kind: 'other'; tag: number };

export interface NameConstraints {
  permitted: GeneralName[];
  excluded: GeneralName[];
  /** Neither subtree list present or both empty: forbidden by RFC 5280 §4.2.1.10. */
  empty: boolean;
}

export interface DecodedExtensions {
  /** Every extension OID with its criticality, in certificate order. */
  list: Array<{ oid: string; critical: boolean }>;
  basicConstraints?: BasicConstraints;
  keyUsage?: Set<KeyUsageName>;
  /** EKU OIDs; undefined when the extension is absent. */
  extKeyUsage?: string[];
  extKeyUsageCritical?: boolean;
  subjectAltNames?: GeneralName[];
  nameConstraints?: NameConstraints;
  /** OIDs of extensions present more than once (RFC 5280 §4.2: MUST NOT). */
  duplicates: string[];
  /** OIDs of extensions whose value could not be decoded. */
  malformed: string[];
}

class Malformed extends Error {}

function bytesOf(view: ArrayBuffer | Uint8Array): Uint8Array {
  return view instanceof Uint8Array ? view : new Uint8Array(view);
}

function generalName(name: pkijs.GeneralName): GeneralName {
  switch (name.type) {
    case 1:
      return { kind: 'email', value: String(name.value) };
    case 2:
      return { kind: 'dns', value: String(name.value) };
    case 6:
      return { kind: 'uri', value: String(name.value) };
    case 4: {
      const rdn = name.value as pkijs.RelativeDistinguishedNames;
      return { kind: 'dn', attributes: nameAttributes(rdn) };
    }
    case 7: {
      const octets = name.value as asn1js.OctetString;
      return { kind: 'ip', bytes: bytesOf(octets.valueBlock.valueHexView) };
    }
    default:
      return { kind: 'other', tag: name.type };
  }
}

function integer(
  value: number | asn1js.Integer | undefined,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  return value.valueBlock.valueDec;
}

/** The extension's value decoded by pkijs, or Malformed. */
function parsed<T>(
  extension: pkijs.Extension,
  type: new (...args: any[]) => T,
): T {
  const raw = extension.extnValue.valueBlock.valueHexView;
  // pkijs decodes the first element only: trailing bytes are not DER.
  const asn1 = asn1js.fromBER(raw);
  if (asn1.offset !== raw.byteLength) throw new Malformed();
  const value = extension.parsedValue as unknown;
  if (!(value instanceof type) || (value as any).parsingError)
    throw new Malformed();
  return value;
}

function keyUsageOf(extension: pkijs.Extension): Set<KeyUsageName> {
  const bits = parsed(extension, asn1js.BitString);
  const bytes = bits.valueBlock.valueHexView;
  const out = new Set<KeyUsageName>();
  KEY_USAGE_BITS.forEach((name, i) => {
    const byte = bytes[i >> 3] ?? 0;
    if (byte & (0x80 >> (i & 7))) out.add(name);
  });
  return out;
}

function nameConstraintsOf(extension: pkijs.Extension): NameConstraints {
  const value = parsed(extension, pkijs.NameConstraints);
  const subtrees = (list?: pkijs.GeneralSubtree[]) =>
    (list ?? []).map(s => {
      // minimum other than 0 or any maximum: forbidden by RFC 5280 and unevaluable.
      if ((integer(s.minimum) ?? 0) !== 0 || s.maximum !== undefined)
        throw new Malformed();
      return generalName(s.base);
    });
  const permitted = subtrees(value.permittedSubtrees);
  const excluded = subtrees(value.excludedSubtrees);
  return {
    permitted,
    excluded,
    empty: permitted.length === 0 && excluded.length === 0,
  };
}

/** Decodes the extensions of a pkijs certificate; never throws. */
export function decodeExtensions(cert: pkijs.Certificate): DecodedExtensions {
  const out: DecodedExtensions = { list: [], duplicates: [], malformed: [] };
  const seen = new Set<string>();
  for (const extension of cert.extensions ?? []) {
    const oid = extension.extnID;
    out.list.push({ oid, critical: extension.critical });
    if (seen.has(oid)) out.duplicates.push(oid);
    seen.add(oid);
    try {
      switch (oid) {
        case OID.basicConstraints: {
          const value = parsed(extension, pkijs.BasicConstraints);
          out.basicConstraints = {
            ca: value.cA === true,
            pathLen: integer(value.pathLenConstraint),
            critical: extension.critical,
          };
          break;
        }
        case OID.keyUsage:
          out.keyUsage = keyUsageOf(extension);
          break;
        case OID.extKeyUsage: {
          const value = parsed(extension, pkijs.ExtKeyUsage);
          // An empty SEQUENCE is not a valid ExtKeyUsageSyntax (SIZE 1..MAX).
          if (value.keyPurposes.length === 0) throw new Malformed();
          out.extKeyUsage = [...value.keyPurposes];
          out.extKeyUsageCritical = extension.critical;
          break;
        }
        case OID.subjectAltName: {
          const value = parsed(extension, pkijs.AltName);
          if (value.altNames.length === 0) throw new Malformed();
          out.subjectAltNames = value.altNames.map(generalName);
          break;
        }
        case OID.nameConstraints:
          out.nameConstraints = nameConstraintsOf(extension);
          break;
        default: {
          // Other extensions pkijs knows: a value it cannot decode is
          // malformed. Unknown ones are opaque (criticality decides).
          if (!pkijs.ExtensionValueFactory.find(oid)) break;
          const value = extension.parsedValue as any;
          if (value === undefined || value === null || value.parsingError)
            throw new Malformed();
        }
      }
    } catch {
      out.malformed.push(oid);
    }
  }
  return out;
}
