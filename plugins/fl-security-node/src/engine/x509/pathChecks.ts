/**
 * Checks of a complete candidate path [leaf, ..., anchor] that depend on the
 * certificates' positions: pathLen (RFC 5280 §4.2.1.9: self-issued
 * intermediates and the leaf do not count), the intermediate count limit, and
 * each CA's name constraints on every certificate below it (self-issued
 * intermediates exempt, RFC 5280 §6.1.3 (b)). The trust anchor's constraints
 * apply too, as webpki, Go and OpenSSL apply them.
 */
import { Certificate, isSelfIssued } from './certificate';
import { checkNameConstraints, constrainedNames } from './nameConstraints';
import { Problem, Role, named, problem } from './problems';

/** Bounds the name × constraint comparisons of one path: OpenSSL's cap (NAME_CHECK_MAX, 2^20), beyond which it rejects. */
export const NAME_CONSTRAINT_BUDGET = 1 << 20;

/**
 * Intermediates of a partial path [leaf, ...] that count against a depth
 * limit: self-issued ones (key rollover) do not, as for pathLen.
 */
export function logicalIntermediates(path: readonly Certificate[]): number {
  let count = 0;
  for (let j = 1; j < path.length; j++) if (!isSelfIssued(path[j])) count += 1;
  return count;
}

function roleAt(path: readonly Certificate[], i: number): Role {
  if (i === 0) return 'leaf';
  return i === path.length - 1 ? 'anchor' : 'intermediate';
}

export function pathProblems(
  path: readonly Certificate[],
  maxIntermediates: number,
): Problem[] {
  const out: Problem[] = [];
  const intermediates = logicalIntermediates(path.slice(0, -1));
  if (intermediates > maxIntermediates)
    out.push(
      problem(
        'max-depth',
        `the path has ${intermediates} intermediate CAs, more than the ${maxIntermediates} allowed`,
      ),
    );
  for (let i = 1; i < path.length; i++) {
    const ca = path[i];
    const role = roleAt(path, i);
    const limit = ca.extensions.basicConstraints?.pathLen;
    if (limit !== undefined) {
      const below = logicalIntermediates(path.slice(0, i));
      if (below > limit)
        out.push(
          problem(
            'path-length',
            `${named(
              ca,
              role,
            )} allows ${limit} intermediate CA(s) below it (pathLen:${limit}) but the path has ${below}`,
            ca,
            role,
          ),
        );
    }
    const constraints = ca.extensions.nameConstraints;
    if (!constraints) continue;
    let budget = NAME_CONSTRAINT_BUDGET;
    for (let j = 0; j < i; j++) {
      if (j > 0 && isSelfIssued(path[j])) continue;
      const names = constrainedNames(path[j], j === 0);
      const verdict = checkNameConstraints(constraints, names, budget);
      if (verdict.ok) {
        budget -= verdict.comparisons;
        continue;
      }
      const code =
        verdict.kind === 'unsupported' || verdict.kind === 'budget'
          ? verdict.kind
          : 'name-constraints';
      out.push(
        problem(
          code,
          verdict.kind === 'invalid-constraint'
            ? `${named(ca, role)} has an invalid name constraint: ${
                verdict.reason
              }`
            : `${named(
                path[j],
                roleAt(path, j),
              )} vs the name constraints of ${named(ca, role)}: ${
                verdict.reason
              }`,
          ca,
          role,
        ),
      );
      break;
    }
  }
  return out;
}
