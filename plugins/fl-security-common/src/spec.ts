/**
 * The federation spec: the one input of the secured FL project generator
 * (CLI, scaffolder action and software template). Validation here is the
 * security edge: anything not understood is rejected before a file is written.
 * The schema (specSchema.ts), the cross-field checks (specChecks.ts) and the
 * normalisation (specNormalize.ts) each live in their own module; this one
 * runs them in that order.
 */
import type { z } from 'zod';
import { crossFieldProblems } from './specChecks';
import { normalize, unique } from './specNormalize';
import { federationSpecSchema } from './specSchema';
import type { FederationSpec, SpecValidationResult } from './specTypes';

export {
  CERT_MANAGER_TLS_PROVIDERS,
  DEFAULT_EXTERNAL_PORT,
  DEFAULT_FLEET_GATEWAY_IMAGE,
  DEFAULT_FLEET_PORT,
  DEFAULT_SUPERLINK_IMAGE,
  DEFAULT_SUPERNODE_IMAGE,
  EXPOSURES,
  FLOWER_FLEET_API_PATHS,
  FLOWER_VERSION,
  KEY_ALGORITHMS,
  MAX_PARTICIPANTS,
  MESH_MODES,
  SUPERLINK_LOOPBACK_PORT,
  SUPERLINK_SERVICE_NAME,
  TLS_PROVIDERS,
  TRUST_DISTRIBUTIONS,
  VAULT_TLS_PROVIDERS,
} from './specConstants';
export type {
  Exposure,
  KeyAlgorithm,
  MeshMode,
  TlsProvider,
  TrustDistribution,
} from './specConstants';
export { federationSpecSchema } from './specSchema';
export { federationEntityRef } from './specNormalize';
export type { FederationSpecInput } from './specSchema';
export type {
  FederationSpec,
  ImageRole,
  ParticipantSpec,
  SpecValidationResult,
  VaultSpec,
} from './specTypes';

/** Renders a zod path as `participants[1].name`. */
export function formatSpecPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out || 'spec';
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const path = formatSpecPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map(key => `${formatSpecPath([...issue.path, key])}: unknown field`);
  }
  if (issue.code === 'invalid_type' && issue.expected === 'object') {
    return [`${path}: ${issue.input === undefined ? 'is required' : 'must be a mapping'}`];
  }
  return [`${path}: ${issue.message}`];
}

/**
 * Validates untrusted input (a parsed spec file or form values). Returns one
 * line per problem as `<path>: <problem>`, or the normalized spec.
 */
export function validateFederationSpec(input: unknown): SpecValidationResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: ['spec: must be a mapping'] };
  }
  const parsed = federationSpecSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    return { ok: false, errors: unique(parsed.error.issues.flatMap(describeIssue)) };
  }
  const problems = crossFieldProblems(parsed.data);
  if (problems.length > 0) {
    return {
      ok: false,
      errors: problems.map(p => `${formatSpecPath(p.path)}: ${p.message}`),
    };
  }
  return { ok: true, spec: normalize(parsed.data) };
}

/** Thrown for an invalid spec; `problems` holds one line per problem. */
export class FederationSpecError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid federation spec:\n${problems.join('\n')}`);
    this.name = 'FederationSpecError';
    this.problems = problems;
  }
}

/** Like validateFederationSpec, but throws one Error listing every problem. */
export function parseFederationSpec(input: unknown): FederationSpec {
  const result = validateFederationSpec(input);
  if (!result.ok) {
    throw new FederationSpecError(result.errors);
  }
  return result.spec;
}

