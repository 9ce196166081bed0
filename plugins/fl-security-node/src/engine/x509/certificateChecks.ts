/**
 * Checks of one certificate in its role on a path (leaf, issuer, trust
 * anchor), at a given time. Path-wide checks (pathLen, name constraints)
 * live in pathChecks.ts.
 */
import type { Certificate } from './certificate';
import { KeyUsageName, UNDERSTOOD_CRITICAL } from './extensions';
import { Problem, Role, named, problem } from './problems';
import { Purpose, ekuAllows, leafKeyUsageAllows } from './usage';

/** RFC 5280 validity is inclusive and in whole seconds: compare floor(now). */
export function validityProblems(
  cert: Certificate,
  role: Role,
  now: Date,
): Problem[] {
  const t = Math.floor(now.getTime() / 1000) * 1000;
  const who = named(cert, role);
  if (t > cert.notAfter.getTime())
    return [
      problem(
        'expired',
        `${who} expired on ${cert.notAfter.toISOString()}`,
        cert,
        role,
      ),
    ];
  if (t < cert.notBefore.getTime())
    return [
      problem(
        'not-yet-valid',
        `${who} is not valid before ${cert.notBefore.toISOString()}`,
        cert,
        role,
      ),
    ];
  return [];
}

/** Encoding-level defects any client rejects, whatever the role. */
export function structureProblems(cert: Certificate, role: Role): Problem[] {
  const who = named(cert, role);
  const out: Problem[] = [];
  if (cert.version !== 2)
    out.push(
      problem(
        'version',
        `${who} is an X.509 v${
          cert.version + 1
        } certificate (TLS clients require v3)`,
        cert,
        role,
      ),
    );
  const { list, duplicates, malformed } = cert.extensions;
  for (const oid of new Set(duplicates))
    out.push(
      problem(
        'duplicate-extension',
        `${who} has extension ${oid} more than once`,
        cert,
        role,
      ),
    );
  for (const oid of new Set(malformed))
    out.push(
      problem(
        'malformed-extension',
        `${who} has an undecodable extension ${oid}`,
        cert,
        role,
      ),
    );
  for (const { oid } of list.filter(
    e => e.critical && !UNDERSTOOD_CRITICAL.has(e.oid),
  ))
    out.push(
      problem(
        'unknown-critical-extension',
        `${who} has a critical extension ${oid} that is not processed (clients reject unknown critical extensions)`,
        cert,
        role,
      ),
    );
  if (cert.issuerEmpty)
    out.push(
      problem('empty-name', `${who} has an empty issuer name`, cert, role),
    );
  return out;
}

/** What makes a certificate unfit to issue others (RFC 5280 §6.1.4 (k), (n)). */
export function issuerProblems(
  cert: Certificate,
  role: Role,
  purpose: Purpose,
): Problem[] {
  const who = named(cert, role);
  const out: Problem[] = [];
  const bc = cert.extensions.basicConstraints;
  if (!bc)
    out.push(
      problem(
        'not-a-ca',
        `${who} is not a CA (no basicConstraints extension)`,
        cert,
        role,
      ),
    );
  else if (!bc.ca)
    out.push(
      problem(
        'not-a-ca',
        `${who} is not a CA (basicConstraints CA:FALSE)`,
        cert,
        role,
      ),
    );
  const ku = cert.extensions.keyUsage;
  if (ku && !ku.has('keyCertSign'))
    out.push(
      problem(
        'key-usage',
        `${who} may not sign certificates (keyUsage ${
          [...ku].join(', ') || 'empty'
        } lacks keyCertSign)`,
        cert,
        role,
      ),
    );
  if (cert.subjectEmpty)
    out.push(
      problem(
        'empty-name',
        `${who} has an empty subject and cannot be an issuer`,
        cert,
        role,
      ),
    );
  const nc = cert.extensions.nameConstraints;
  if (nc?.empty)
    out.push(
      problem(
        'name-constraints',
        `${who} has a nameConstraints extension with neither permitted nor excluded subtrees`,
        cert,
        role,
      ),
    );
  // OpenSSL and BoringSSL check the purpose on every certificate of the path.
  const eku = ekuAllows(cert, purpose);
  if (!eku.allowed)
    out.push(
      problem('extended-key-usage', `${who}: ${eku.reason}`, cert, role),
    );
  return out;
}

export interface LeafOptions {
  purpose: Purpose;
  requiredKeyUsage?: readonly KeyUsageName[];
}

/** What makes a certificate unfit as the served (or client) leaf. */
export function leafProblems(
  cert: Certificate,
  options: LeafOptions,
): Problem[] {
  const who = named(cert, 'leaf');
  const out: Problem[] = [];
  const bc = cert.extensions.basicConstraints;
  // webpki and OpenSSL's sslserver purpose refuse a CA as the leaf (CABF 7.1.2.7.8).
  if (bc?.ca)
    out.push(
      problem(
        'leaf-is-ca',
        `${who} is a CA certificate (basicConstraints CA:TRUE) served as the leaf; TLS clients reject it`,
        cert,
        'leaf',
      ),
    );
  else if (cert.extensions.keyUsage?.has('keyCertSign'))
    out.push(
      problem(
        'key-usage',
        `${who} asserts keyUsage keyCertSign without basicConstraints CA:TRUE`,
        cert,
        'leaf',
      ),
    );
  if (!bc?.ca && cert.extensions.nameConstraints)
    out.push(
      problem(
        'name-constraints',
        `${who} is an end-entity certificate with a nameConstraints extension (only CAs may have one)`,
        cert,
        'leaf',
      ),
    );
  const eku = ekuAllows(cert, options.purpose);
  if (!eku.allowed)
    out.push(
      problem('extended-key-usage', `${who}: ${eku.reason}`, cert, 'leaf'),
    );
  const ku = leafKeyUsageAllows(cert, options.requiredKeyUsage);
  if (!ku.allowed)
    out.push(problem('key-usage', `${who}: ${ku.reason}`, cert, 'leaf'));
  return out;
}
