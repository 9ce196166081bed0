/**
 * Why a path is not valid, naming the certificate at fault ("issuer CN=X is
 * not a CA (basicConstraints CA:FALSE)"), with a stable code a rule can map
 * to a status: `unsupported` and `budget` mean "could not evaluate", never a
 * pass.
 */
import type { Certificate } from './certificate';

export type ProblemCode =
  | 'no-certificate'
  | 'leaf-is-ca'
  | 'not-a-ca'
  | 'key-usage'
  | 'extended-key-usage'
  | 'path-length'
  | 'max-depth'
  | 'name-constraints'
  | 'unsupported'
  | 'expired'
  | 'not-yet-valid'
  | 'unknown-critical-extension'
  | 'malformed-extension'
  | 'duplicate-extension'
  | 'version'
  | 'empty-name'
  | 'bad-signature'
  | 'no-issuer'
  | 'host-mismatch'
  | 'budget';

export type Role = 'leaf' | 'intermediate' | 'anchor';

export interface Problem {
  code: ProblemCode;
  message: string;
  /** One-line subject of the certificate at fault, when there is one. */
  subject?: string;
  fingerprint256?: string;
  role?: Role;
}

export const ROLE_TEXT: Record<Role, string> = {
  leaf: 'leaf',
  intermediate: 'issuer',
  anchor: 'trust anchor',
};

/** `issuer CN=X` / `leaf CN=Y` / `trust anchor CN=Z`. */
export function named(cert: Certificate, role: Role): string {
  return `${ROLE_TEXT[role]} ${cert.subject || '(empty subject)'}`;
}

export function problem(
  code: ProblemCode,
  message: string,
  cert?: Certificate,
  role?: Role,
): Problem {
  return cert
    ? {
        code,
        message,
        subject: cert.subject,
        fingerprint256: cert.fingerprint256,
        role,
      }
    : { code, message };
}

/** Problems that mean "could not evaluate" rather than "invalid". */
export function isIndeterminate(p: Problem): boolean {
  return p.code === 'unsupported' || p.code === 'budget';
}
