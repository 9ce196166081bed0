/**
 * Name constraints (RFC 5280 §4.2.1.10, §6.1.3/6.1.4) of one CA applied to a
 * certificate below it. Evaluated: dNSName, iPAddress and directoryName
 * (subject and SAN). Not evaluated: rfc822Name, URI, otherName and the rare
 * forms: when a CA constrains one of those and the certificate carries a
 * name of that form, the answer is `unsupported` (never a pass), as RFC 5280
 * demands ("process the constraint or reject").
 *
 * Wildcard SANs are judged defensively (x509-limbo cve::cve-2025-61727):
 * `*.example.com` is permitted only inside a permitted subtree of
 * example.com, and excluded when it might match any excluded name.
 */
import type { Certificate } from './certificate';
import type { GeneralName, NameAttribute, NameConstraints } from './extensions';
import {
  isValidHostName,
  isValidSanDnsName,
  normalizeDnsName,
} from './hostNames';
import { ipText } from './ipAddresses';

export type ConstraintVerdict =
  | { ok: true; comparisons: number }
  | {
      ok: false;
      kind: 'violation' | 'unsupported' | 'budget' | 'invalid-constraint';
      reason: string;
    };

type Form = GeneralName['kind'];
const EVALUATED: ReadonlySet<Form> = new Set<Form>(['dns', 'ip', 'dn']);
const FORM_NAME: Record<Form, string> = {
  dns: 'dNSName',
  ip: 'iPAddress',
  dn: 'directoryName',
  email: 'rfc822Name',
  uri: 'URI',
  other: 'otherName/other',
};

/** Why a constraint itself is malformed, or undefined when it is well formed. */
export function invalidConstraint(c: GeneralName): string | undefined {
  if (c.kind === 'dns') {
    // The empty name constrains nothing away (it matches every name).
    if (c.value === '') return undefined;
    return isValidHostName(c.value)
      ? undefined
      : `dNSName constraint "${c.value}" is not a valid DNS name (no wildcards or leading dots)`;
  }
  if (c.kind === 'ip') {
    if (c.bytes.length !== 8 && c.bytes.length !== 32)
      return `iPAddress constraint has ${c.bytes.length} bytes (needs address and mask: 8 or 32)`;
    const mask = c.bytes.slice(c.bytes.length / 2);
    const bits = Array.from(mask, b => b.toString(2).padStart(8, '0')).join('');
    if (!/^1*0*$/.test(bits))
      return 'iPAddress constraint has a non-contiguous mask';
  }
  return undefined;
}

function within(name: string, subtree: string): boolean {
  return subtree === '' || name === subtree || name.endsWith(`.${subtree}`);
}

function dnsPermitted(name: string, subtree: string): boolean {
  return within(name.startsWith('*.') ? name.slice(2) : name, subtree);
}

function dnsExcluded(name: string, subtree: string): boolean {
  if (!name.startsWith('*.')) return within(name, subtree);
  const base = name.slice(2);
  // Entirely inside the excluded subtree, or might match a name in it.
  return within(base, subtree) || within(subtree, base);
}

function ipWithin(address: Uint8Array, constraint: Uint8Array): boolean {
  const half = constraint.length / 2;
  if (address.length !== half) return false;
  for (let i = 0; i < half; i++) {
    const mask = constraint[half + i];
    if ((address[i] & mask) !== (constraint[i] & mask)) return false;
  }
  return true;
}

function dnWithin(name: NameAttribute[], subtree: NameAttribute[]): boolean {
  if (subtree.length > name.length) return false;
  return subtree.every(
    (a, i) => a.type === name[i].type && a.value === name[i].value,
  );
}

function matches(
  name: GeneralName,
  subtree: GeneralName,
  excluded: boolean,
): boolean {
  if (name.kind === 'dns' && subtree.kind === 'dns') {
    const n = normalizeDnsName(name.value)!;
    const s = subtree.value === '' ? '' : normalizeDnsName(subtree.value)!;
    return excluded ? dnsExcluded(n, s) : dnsPermitted(n, s);
  }
  if (name.kind === 'ip' && subtree.kind === 'ip')
    return ipWithin(name.bytes, subtree.bytes);
  if (name.kind === 'dn' && subtree.kind === 'dn')
    return dnWithin(name.attributes, subtree.attributes);
  return false;
}

function describe(name: GeneralName): string {
  switch (name.kind) {
    case 'dns':
      return `DNS:${name.value}`;
    case 'ip': {
      if (name.bytes.length !== 8 && name.bytes.length !== 32)
        return `IP:${ipText(name.bytes)}`;
      const half = name.bytes.length / 2;
      const prefix = Array.from(name.bytes.slice(half), b =>
        b.toString(2).replace(/0/g, ''),
      ).join('').length;
      return `IP:${ipText(name.bytes.slice(0, half))}/${prefix}`;
    }
    case 'dn':
      return `DirName:${name.attributes.map(a => a.value).join(',')}`;
    case 'email':
      return `email:${name.value}`;
    case 'uri':
      return `URI:${name.value}`;
    default:
      return `otherName (tag ${name.tag})`;
  }
}

/** The names of `cert` that name constraints apply to. */
export function constrainedNames(
  cert: Certificate,
  isLeaf: boolean,
): GeneralName[] {
  const names: GeneralName[] = [...(cert.extensions.subjectAltNames ?? [])];
  if (!cert.subjectEmpty)
    names.push({ kind: 'dn', attributes: cert.subjectAttributes });
  for (const email of cert.subjectEmails)
    names.push({ kind: 'email', value: email });
  // A leaf without SAN is checked by its CN as a DNS name, as Go and webpki do.
  if (isLeaf && !cert.extensions.subjectAltNames) {
    for (const cn of cert.subjectCommonNames)
      if (isValidHostName(cn)) names.push({ kind: 'dns', value: cn });
  }
  return names;
}

/** Applies the constraints of one CA to `names`. `budget` bounds name × subtree comparisons. */
export function checkNameConstraints(
  constraints: NameConstraints,
  names: readonly GeneralName[],
  budget: number,
): ConstraintVerdict {
  const all = [...constraints.permitted, ...constraints.excluded];
  for (const c of all) {
    const invalid = invalidConstraint(c);
    if (invalid)
      return { ok: false, kind: 'invalid-constraint', reason: invalid };
  }
  const comparisons = names.length * all.length;
  if (comparisons > budget)
    return {
      ok: false,
      kind: 'budget',
      reason: `${names.length} names against ${all.length} name constraints exceed the evaluation budget (clients give up too and reject the certificate)`,
    };
  const constrainedForms = new Set(all.map(c => c.kind));
  for (const name of names) {
    if (!constrainedForms.has(name.kind)) continue;
    if (!EVALUATED.has(name.kind))
      return {
        ok: false,
        kind: 'unsupported',
        reason: `${
          FORM_NAME[name.kind]
        } name constraints are not evaluated, and the certificate has a ${
          FORM_NAME[name.kind]
        } name`,
      };
    if (name.kind === 'dns' && !isValidSanDnsName(name.value))
      return {
        ok: false,
        kind: 'violation',
        reason: `dNSName "${name.value}" is not a valid DNS name, so it cannot satisfy the name constraints`,
      };
    if (
      name.kind === 'ip' &&
      name.bytes.length !== 4 &&
      name.bytes.length !== 16
    )
      return {
        ok: false,
        kind: 'violation',
        reason: `an iPAddress SAN has ${name.bytes.length} bytes, so it cannot satisfy the name constraints`,
      };
    const excluded = constraints.excluded.find(
      c => c.kind === name.kind && matches(name, c, true),
    );
    if (excluded)
      return {
        ok: false,
        kind: 'violation',
        reason: `${describe(name)} is in the excluded subtree ${describe(
          excluded,
        )}`,
      };
    const permitted = constraints.permitted.filter(c => c.kind === name.kind);
    if (permitted.length && !permitted.some(c => matches(name, c, false)))
      return {
        ok: false,
        kind: 'violation',
        reason: `${describe(
          name,
        )} is outside the permitted subtrees (${permitted
          .slice(0, 3)
          .map(describe)
          .join(', ')}${
          permitted.length > 3 ? ` and ${permitted.length - 3} more` : ''
        })`,
      };
  }
  return { ok: true, comparisons };
}
