/**
 * Certification path validation as TLS clients do it: from the served leaf
 * to one of the trust anchors, through any of the served (or extra)
 * certificates in any order, backtracking over every candidate issuer (a
 * valid path is found even when another candidate is expired, mis-signed or
 * excluded by name constraints), with loop detection and a work budget.
 *
 * Library choice: pkijs' CertificateChainValidationEngine and
 * @peculiar/x509's X509ChainBuilder were both evaluated. Both are
 * asynchronous (WebCrypto) while the engine is a synchronous pure function;
 * X509ChainBuilder follows the first matching issuer without backtracking
 * and checks nothing but signatures; pkijs' engine does not check pathLen or
 * EKU, reports generic messages ("more than one possible end-user
 * certificate") and has no notion of a served leaf. So pkijs is used for what
 * it does well, decoding every extension (extensions.ts), Node's
 * crypto.X509Certificate (OpenSSL) verifies signatures, and the RFC 5280
 * §6.1 decisions are made here, where they can name the certificate at fault.
 */
import { X509Certificate } from 'node:crypto';
import {
  Certificate,
  ParseResult,
  isSelfIssued,
  parseCertificate,
} from './certificate';
import {
  issuerProblems,
  leafProblems,
  structureProblems,
  validityProblems,
} from './certificateChecks';
import type { KeyUsageName } from './extensions';
import { matchHost } from './matchHost';
import { logicalIntermediates, pathProblems } from './pathChecks';
import { Problem, Role, isIndeterminate, named, problem } from './problems';
import { Purpose, ekuAllows } from './usage';

export type CertificateInput = Certificate | X509Certificate;

export interface PathInput {
  /** The certificates the peer sends: the leaf first, then any others in any order. */
  served: readonly CertificateInput[];
  /** What the client (or server, for client certificates) is configured to trust. */
  anchors: readonly CertificateInput[];
  /** Extra untrusted certificates a verifier may use (an intermediate store). */
  intermediates?: readonly CertificateInput[];
  /** The time of the scan; the engine has no clock. */
  now: Date;
  purpose: Purpose;
  /** Host name or IP literal the peer is dialled by; omitted: names are not checked. */
  host?: string;
  /** Intermediates allowed between leaf and anchor (default 10). */
  maxIntermediates?: number;
  /** keyUsage bits the leaf must assert. */
  requiredKeyUsage?: readonly KeyUsageName[];
}

export interface PathResult {
  ok: boolean;
  /** The valid path (leaf first, anchor last); on failure the attempt reported. */
  path: Certificate[];
  anchor?: Certificate;
  problems: Problem[];
  /** True when a problem means "could not evaluate" (unsupported constraint, budget). */
  indeterminate: boolean;
  /** Notes that are not failures (no EKU: any purpose accepted). */
  notes: string[];
}

export const DEFAULT_MAX_INTERMEDIATES = 10;
/** Signature checks one validation may spend (webpki: 100; real paths need a handful). */
export const SIGNATURE_BUDGET = 200;

/** Certificates on one path, self-issued ones included. */
export const MAX_PATH_LENGTH = 32;

const SIGNED_BY_LIMIT = 50_000;
const signedByMemo = new Map<string, boolean>();

/** Whether `child` verifies under `parent`'s key (OpenSSL via Node; memoised by fingerprints). */
export function signedBy(child: Certificate, parent: Certificate): boolean {
  const key = `${child.fingerprint256}|${parent.fingerprint256}`;
  const known = signedByMemo.get(key);
  if (known !== undefined) return known;
  let verified: boolean;
  try {
    verified = child.node.verify(parent.node.publicKey);
  } catch {
    verified = false;
  }
  if (signedByMemo.size >= SIGNED_BY_LIMIT) signedByMemo.clear();
  signedByMemo.set(key, verified);
  return verified;
}

interface Attempt {
  path: Certificate[];
  problems: Problem[];
}

function toCertificates(
  inputs: readonly CertificateInput[],
  what: string,
  notes: string[],
): Certificate[] {
  const out: Certificate[] = [];
  inputs.forEach((input, i) => {
    if (!(input instanceof X509Certificate)) {
      out.push(input);
      return;
    }
    const parsed = parseCertificate(input);
    if (parsed.ok) out.push(parsed.certificate);
    else notes.push(`${what} ${i + 1} is ignored: ${parsed.error.message}`);
  });
  return out;
}

function bySubject(certs: readonly Certificate[]): Map<string, Certificate[]> {
  const map = new Map<string, Certificate[]>();
  for (const cert of certs) {
    const list = map.get(cert.subjectDer) ?? [];
    if (!list.some(c => c.fingerprint256 === cert.fingerprint256))
      list.push(cert);
    map.set(cert.subjectDer, list);
  }
  return map;
}

/** Validates the served chain; never throws. */
export function validatePath(input: PathInput): PathResult {
  try {
    return validate(input);
  } catch (e) {
    return {
      ok: false,
      path: [],
      problems: [
        problem(
          'unsupported',
          `path validation failed unexpectedly: ${
            e instanceof Error ? e.message : String(e)
          }`,
        ),
      ],
      indeterminate: true,
      notes: [],
    };
  }
}

function validate(input: PathInput): PathResult {
  const notes: string[] = [];
  const [first, ...rest] = input.served;
  const parsedLeaf: ParseResult | undefined =
    first instanceof X509Certificate
      ? parseCertificate(first)
      : first && { ok: true, certificate: first };
  if (!parsedLeaf?.ok)
    return {
      ok: false,
      path: [],
      problems: [
        problem(
          'no-certificate',
          parsedLeaf
            ? `the leaf cannot be read: ${parsedLeaf.error.message}`
            : 'no certificate is served',
        ),
      ],
      indeterminate: false,
      notes,
    };
  const leaf = parsedLeaf.certificate;
  const served = [leaf, ...toCertificates(rest, 'served certificate', notes)];
  const anchors = toCertificates(input.anchors, 'trust anchor', notes);
  const extra = toCertificates(
    input.intermediates ?? [],
    'intermediate',
    notes,
  );
  const maxIntermediates = input.maxIntermediates ?? DEFAULT_MAX_INTERMEDIATES;

  const leafChecks: Problem[] = [
    ...structureProblems(leaf, 'leaf'),
    ...leafProblems(leaf, {
      purpose: input.purpose,
      requiredKeyUsage: input.requiredKeyUsage,
    }),
    ...validityProblems(leaf, 'leaf', input.now),
  ];
  if (input.host !== undefined) {
    const match = matchHost(leaf, input.host);
    if (!match.matched)
      leafChecks.push(
        problem(
          'host-mismatch',
          `${named(leaf, 'leaf')} does not name ${input.host}: ${match.reason}`,
          leaf,
          'leaf',
        ),
      );
  }
  const eku = ekuAllows(leaf, input.purpose);
  if (eku.allowed && eku.absent)
    notes.push(
      `${named(
        leaf,
        'leaf',
      )} has no extendedKeyUsage (any purpose is accepted)`,
    );

  const anchorIndex = bySubject(anchors);
  const anchorPrints = new Set(anchors.map(a => a.fingerprint256));
  const pool = bySubject(
    [...served.slice(1), ...extra].filter(
      c => !anchorPrints.has(c.fingerprint256),
    ),
  );
  const attempts: Attempt[] = [];
  let signatures = 0;
  let exhausted = false;
  const checked = new Map<string, Problem[]>();

  const candidateProblems = (cert: Certificate, role: Role): Problem[] => {
    const key = `${role}|${cert.fingerprint256}`;
    let found = checked.get(key);
    if (!found) {
      found = [
        ...structureProblems(cert, role),
        ...issuerProblems(cert, role, input.purpose),
        ...validityProblems(cert, role, input.now),
      ];
      checked.set(key, found);
    }
    return found;
  };

  const search = (path: Certificate[]): Certificate[] | undefined => {
    const current = path[path.length - 1];
    const candidates: Array<{ cert: Certificate; role: Role }> = [
      ...(anchorIndex.get(current.issuerDer) ?? []).map(cert => ({
        cert,
        role: 'anchor' as Role,
      })),
      ...(pool.get(current.issuerDer) ?? []).map(cert => ({
        cert,
        role: 'intermediate' as Role,
      })),
    ];
    const currentRole: Role = path.length === 1 ? 'leaf' : 'intermediate';
    const deadEnd = (loop: boolean) => {
      let text: string;
      if (isSelfIssued(current) && signedBy(current, current))
        text = `${named(
          current,
          currentRole,
        )} is self-signed but is not a trust anchor`;
      else if (loop)
        text = `${named(current, currentRole)} is issued by "${
          current.issuer
        }", which only leads back into the path (a loop), not to a trust anchor`;
      else
        text = `${named(current, currentRole)} is issued by "${
          current.issuer || '(empty)'
        }", which is neither among the ${
          anchors.length
        } trust anchor(s) nor among the other certificates`;
      attempts.push({
        path,
        problems: [problem('no-issuer', text, current, currentRole)],
      });
    };
    if (candidates.length === 0) {
      deadEnd(false);
      return undefined;
    }
    let tried = false;
    for (const { cert, role } of candidates) {
      // RFC 4158 loop detection: a certificate, or the same logical CA (subject and key), appears once.
      if (
        path.some(
          p =>
            p.fingerprint256 === cert.fingerprint256 ||
            (p.subjectDer === cert.subjectDer && p.spkiDer === cert.spkiDer),
        )
      )
        continue;
      tried = true;
      if (signatures >= SIGNATURE_BUDGET) {
        exhausted = true;
        return undefined;
      }
      signatures += 1;
      const next = [...path, cert];
      if (!signedBy(current, cert)) {
        attempts.push({
          path: next,
          problems: [
            problem(
              'bad-signature',
              `${named(
                current,
                path.length === 1 ? 'leaf' : 'intermediate',
              )} is not signed by the key of ${named(cert, role)}`,
              current,
            ),
          ],
        });
        continue;
      }
      const own = candidateProblems(cert, role);
      if (own.length) {
        attempts.push({ path: next, problems: own });
        continue;
      }
      if (role === 'anchor') {
        const whole = pathProblems(next, maxIntermediates);
        if (whole.length === 0) return next;
        attempts.push({ path: next, problems: whole });
        continue;
      }
      if (
        logicalIntermediates(next) > maxIntermediates ||
        next.length > MAX_PATH_LENGTH
      ) {
        attempts.push({
          path: next,
          problems: [
            problem(
              'max-depth',
              `no trust anchor within ${maxIntermediates} intermediate certificates`,
            ),
          ],
        });
        continue;
      }
      const found = search(next);
      if (found || exhausted) return found;
    }
    if (!tried) deadEnd(true);
    return undefined;
  };

  let path: Certificate[] | undefined;
  if (anchorPrints.has(leaf.fingerprint256)) path = [leaf];
  else path = search([leaf]);

  if (path) {
    return {
      ok: leafChecks.length === 0,
      path,
      anchor: path[path.length - 1],
      problems: leafChecks,
      indeterminate: leafChecks.some(isIndeterminate),
      notes,
    };
  }
  const problems = [...leafChecks];
  if (exhausted)
    problems.push(
      problem(
        'budget',
        `path building gave up after ${SIGNATURE_BUDGET} signature checks without finding a valid path`,
      ),
    );
  const best = attempts.reduce<Attempt | undefined>(
    (a, b) => (!a || b.path.length > a.path.length ? b : a),
    undefined,
  );
  if (best) problems.push(...best.problems);
  if (anchors.length === 0)
    problems.push(
      problem('no-issuer', 'there is no trust anchor to validate against'),
    );
  // Never a failure without a reason.
  if (problems.length === 0)
    problems.push(
      problem(
        'no-issuer',
        `no path from ${named(leaf, 'leaf')} to a trust anchor`,
      ),
    );
  return {
    ok: false,
    path: best?.path ?? [leaf],
    problems: dedupe(problems),
    indeterminate: problems.some(isIndeterminate),
    notes,
  };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter(p => {
    if (seen.has(p.message)) return false;
    seen.add(p.message);
    return true;
  });
}

/** The common case: a served TLS server chain. */
export function validateServerPath(
  input: Omit<PathInput, 'purpose'>,
): PathResult {
  return validatePath({ ...input, purpose: 'server' });
}

/** A client certificate presented for mutual TLS. */
export function validateClientPath(
  input: Omit<PathInput, 'purpose' | 'host'>,
): PathResult {
  return validatePath({ ...input, purpose: 'client' });
}
