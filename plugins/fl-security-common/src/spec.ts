/**
 * The federation spec: the one input of the secured FL project generator
 * (CLI, scaffolder action and software template). Validation here is the
 * security edge: anything not understood is rejected before a file is written.
 */
import { z } from 'zod';
import {
  checkCidr,
  checkDnsLabel,
  checkDuration,
  checkHostname,
  checkHttpsOrigin,
  checkImageReference,
  checkPlainText,
  checkStorageSize,
  checkVaultMountPath,
  checkVaultPathSegment,
  parseDurationSeconds,
} from './specFormats';

/** The Flower release whose command-line flags the generator renders. */
export const FLOWER_VERSION = '1.42.0';
export const DEFAULT_SUPERLINK_IMAGE = `flwr/superlink:${FLOWER_VERSION}`;
export const DEFAULT_SUPERNODE_IMAGE = `flwr/supernode:${FLOWER_VERSION}`;
export const DEFAULT_FLEET_PORT = 9092;
/**
 * The in-pod TLS gateway that serves only the Fleet API on the fleet port
 * (HAProxy 2.6 LTS, the branch the end-to-end test runs).
 */
export const DEFAULT_FLEET_GATEWAY_IMAGE = 'haproxy:2.6';
/**
 * Where the SuperLink serves its Fleet, Control and Runtime APIs inside the
 * aggregator pod (127.0.0.1 only): the fleet port must differ.
 */
export const SUPERLINK_LOOPBACK_PORT = 9091;

export const TLS_PROVIDERS = [
  'cert-manager-ca',
  'cert-manager-vault',
  'cert-manager-issuer',
  'vault-pki-secret',
  'vault-agent',
] as const;
/**
 * Where certificates come from: a self-signed bootstrap CA chain in
 * cert-manager, a cert-manager Vault issuer, an existing cert-manager issuer,
 * the Vault Secrets Operator (VaultPKISecret) or the Vault Agent injector.
 */
export type TlsProvider = (typeof TLS_PROVIDERS)[number];
export const VAULT_TLS_PROVIDERS: readonly TlsProvider[] = [
  'cert-manager-vault',
  'vault-pki-secret',
  'vault-agent',
];
export const CERT_MANAGER_TLS_PROVIDERS: readonly TlsProvider[] = [
  'cert-manager-ca',
  'cert-manager-vault',
  'cert-manager-issuer',
];

export const EXPOSURES = ['none', 'ingress-nginx', 'gateway-api'] as const;
/** How participants outside the cluster reach the aggregator (TLS passthrough). */
export type Exposure = (typeof EXPOSURES)[number];

export const MESH_MODES = ['none', 'istio'] as const;
export type MeshMode = (typeof MESH_MODES)[number];

export const KEY_ALGORITHMS = ['ECDSA', 'RSA'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];
const KEY_SIZES: Record<KeyAlgorithm, readonly number[]> = {
  ECDSA: [256, 384, 521],
  RSA: [2048, 3072, 4096],
};

/** Leaf certificates live at most a year; renewal needs at least 5 minutes. */
const MAX_DURATION_SECONDS = 8760 * 3600;
const MIN_DURATION_SECONDS = 3600;
const MIN_RENEW_BEFORE_SECONDS = 300;

/** Namespaces an FL workload must never share. */
const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export const MAX_PARTICIPANTS = 5000;
/** Keeps derived names (`<federation>-<participant>`) within 63 characters. */
const MAX_SHORT_NAME = 30;

type Check = (value: string) => string | undefined;

function typeError(expected: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined ? 'is required' : `must be ${expected}`;
}

/** A string field: plain-text check first, then its format check. */
function text(check?: Check, options: { plainFirst?: boolean } = {}) {
  const { plainFirst = true } = options;
  return z.string({ error: typeError('a string') }).superRefine((value, ctx) => {
    const problem = (plainFirst ? checkPlainText(value) : undefined) ?? check?.(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

const label = (max = 63) => text(value => checkDnsLabel(value, max));

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: issue =>
      issue.input === undefined
        ? 'is required'
        : `must be one of: ${values.join(', ')}`,
  });
}

const port = z
  .number({ error: typeError('a number') })
  .int({ error: 'must be a whole number' })
  .min(1024, { error: 'must be between 1024 and 65535 (unprivileged ports only)' })
  .max(65535, { error: 'must be between 1024 and 65535 (unprivileged ports only)' });

const participantSchema = z.strictObject({
  name: label(MAX_SHORT_NAME),
  namespace: label().optional(),
});

const vaultSchema = z.strictObject({
  /** https://vault.example.com:8200 */
  server: text(checkHttpsOrigin, { plainFirst: false }),
  /** PKI secrets engine mount, e.g. "pki" or "pki/intermediate". */
  pkiMount: text(checkVaultMountPath).default('pki'),
  /** PKI role that signs the certificates. */
  role: text(checkVaultPathSegment),
  /** Kubernetes auth method mount, e.g. "kubernetes". */
  authMount: text(checkVaultMountPath).default('kubernetes'),
  /** Vault Kubernetes auth role bound to the issuing ServiceAccount. */
  authRole: text(checkVaultPathSegment),
  /** Secret (in the cert-manager namespace) with key ca.crt trusting Vault. */
  caBundleSecret: label().optional(),
  /** Where the Vault Agent sidecar may connect (vault-agent only). */
  egress: z
    .strictObject({
      namespace: label().optional(),
      cidrs: z.array(text(checkCidr, { plainFirst: false })).max(32).optional(),
    })
    .optional(),
});

const tlsSchema = z.strictObject({
  provider: oneOf(TLS_PROVIDERS).default('cert-manager-ca'),
  certManagerNamespace: label().default('cert-manager'),
  issuer: z
    .strictObject({
      kind: oneOf(['Issuer', 'ClusterIssuer'] as const),
      name: label(253),
    })
    .optional(),
  vault: vaultSchema.optional(),
  keyAlgorithm: oneOf(KEY_ALGORITHMS).default('ECDSA'),
  keySize: z.number({ error: typeError('a number') }).int().optional(),
  duration: text(checkDuration).default('2160h'),
  renewBefore: text(checkDuration).default('720h'),
});

const networkSchema = z.strictObject({
  exposure: oneOf(EXPOSURES).default('none'),
  externalHost: text(checkHostname, { plainFirst: false }).optional(),
  ingressClassName: label(253).default('nginx'),
  ingressControllerNamespace: label().default('ingress-nginx'),
  gateway: z
    .strictObject({
      name: label(253),
      namespace: label(),
      sectionName: label(253).optional(),
      /** Where the gateway's proxies run, if not in the Gateway's namespace. */
      dataPlaneNamespace: label().optional(),
      /** TLSRoute is v1 from Gateway API 1.5; older installs serve v1alpha2. */
      tlsRouteVersion: oneOf(['v1', 'v1alpha2'] as const).default('v1'),
    })
    .optional(),
  /** Extra sources (e.g. a load balancer's range) allowed to the fleet port. */
  allowedCidrs: z.array(text(checkCidr, { plainFirst: false })).max(64).default([]),
  /** Namespace of the cluster DNS pods (label k8s-app=kube-dns). */
  dnsNamespace: label().default('kube-system'),
  /**
   * Formerly the namespace allowed to run `flwr` commands over the network.
   * The Control API now listens on 127.0.0.1 inside the aggregator pod only
   * (operators use kubectl port-forward), so the field is rejected rather
   * than silently ignored.
   */
  adminNamespace: z
    .unknown()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      ctx.addIssue({
        code: 'custom',
        message:
          'is no longer supported: the Control API listens on 127.0.0.1 in the aggregator pod only; operators reach it with kubectl port-forward',
      });
    }),
});

export const federationSpecSchema = z.strictObject({
  /** Federation name: the backstage.io/kubernetes-id of every object. */
  name: label(MAX_SHORT_NAME),
  framework: oneOf(['flower'] as const).default('flower'),
  clusterDomain: text(checkHostname, { plainFirst: false }).default('cluster.local'),
  images: z
    .strictObject({
      superlink: text(checkImageReference, { plainFirst: false }).default(
        DEFAULT_SUPERLINK_IMAGE,
      ),
      supernode: text(checkImageReference, { plainFirst: false }).default(
        DEFAULT_SUPERNODE_IMAGE,
      ),
      fleetGateway: text(checkImageReference, { plainFirst: false }).default(
        DEFAULT_FLEET_GATEWAY_IMAGE,
      ),
    })
    .default({
      superlink: DEFAULT_SUPERLINK_IMAGE,
      supernode: DEFAULT_SUPERNODE_IMAGE,
      fleetGateway: DEFAULT_FLEET_GATEWAY_IMAGE,
    }),
  aggregator: z
    .strictObject({
      // superlink.<namespace>.svc must fit a 64-character certificate CN.
      namespace: label(50).optional(),
      port: port
        .refine(value => value !== SUPERLINK_LOOPBACK_PORT, {
          error: `must not be ${SUPERLINK_LOOPBACK_PORT} (the SuperLink's own port inside the pod)`,
        })
        .default(DEFAULT_FLEET_PORT),
      stateStorage: z
        .strictObject({
          size: text(checkStorageSize).default('1Gi'),
          storageClassName: label(253).optional(),
        })
        .default({ size: '1Gi' }),
    })
    .default({ port: DEFAULT_FLEET_PORT, stateStorage: { size: '1Gi' } }),
  participants: z
    .array(participantSchema, { error: typeError('a list') })
    .min(1, { error: 'must list at least one participant' })
    .max(MAX_PARTICIPANTS, { error: `must list at most ${MAX_PARTICIPANTS} participants` }),
  tls: tlsSchema.default({
    provider: 'cert-manager-ca',
    certManagerNamespace: 'cert-manager',
    keyAlgorithm: 'ECDSA',
    duration: '2160h',
    renewBefore: '720h',
  }),
  network: networkSchema.default({
    exposure: 'none',
    ingressClassName: 'nginx',
    ingressControllerNamespace: 'ingress-nginx',
    allowedCidrs: [],
    dnsNamespace: 'kube-system',
  }),
  mesh: oneOf(MESH_MODES).default('none'),
  portal: z
    .strictObject({
      serviceAccount: z.strictObject({
        namespace: label().default('backstage'),
        name: label(253).default('backstage'),
      }),
    })
    .default({ serviceAccount: { namespace: 'backstage', name: 'backstage' } }),
});

/** What a spec file or form may contain (defaults not yet applied). */
export type FederationSpecInput = z.input<typeof federationSpecSchema>;
type ParsedSpec = z.output<typeof federationSpecSchema>;

export interface ParticipantSpec {
  name: string;
  namespace: string;
}

export interface VaultSpec {
  server: string;
  pkiMount: string;
  role: string;
  authMount: string;
  authRole: string;
  caBundleSecret?: string;
  egress?: { namespace?: string; cidrs: string[] };
}

/** A validated spec with every default applied; participants sorted by name. */
export interface FederationSpec {
  name: string;
  framework: 'flower';
  clusterDomain: string;
  images: { superlink: string; supernode: string; fleetGateway: string };
  aggregator: {
    namespace: string;
    port: number;
    stateStorage: { size: string; storageClassName?: string };
  };
  participants: ParticipantSpec[];
  tls: {
    provider: TlsProvider;
    certManagerNamespace: string;
    issuer?: { kind: 'Issuer' | 'ClusterIssuer'; name: string };
    vault?: VaultSpec;
    keyAlgorithm: KeyAlgorithm;
    keySize: number;
    duration: string;
    renewBefore: string;
  };
  network: {
    exposure: Exposure;
    externalHost?: string;
    ingressClassName: string;
    ingressControllerNamespace: string;
    gateway?: {
      name: string;
      namespace: string;
      sectionName?: string;
      dataPlaneNamespace?: string;
      tlsRouteVersion: 'v1' | 'v1alpha2';
    };
    allowedCidrs: string[];
    dnsNamespace: string;
  };
  mesh: MeshMode;
  portal: { serviceAccount: { namespace: string; name: string } };
}

export type SpecValidationResult =
  | { ok: true; spec: FederationSpec }
  | { ok: false; errors: string[] };

/** Renders a zod path as `participants[1].name`. */
export function formatSpecPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out || 'spec';
}

type Problem = { path: (string | number)[]; message: string };

function aggregatorNamespace(spec: ParsedSpec) {
  return spec.aggregator.namespace ?? `${spec.name}-aggregator`;
}

function participantNamespace(spec: ParsedSpec, index: number) {
  const participant = spec.participants[index];
  return participant.namespace ?? `${spec.name}-${participant.name}`;
}

function checkParticipants(spec: ParsedSpec, problems: Problem[]) {
  const seenNames = new Map<string, number>();
  const seenNamespaces = new Map<string, string>();
  const reserved = new Set([
    ...RESERVED_NAMESPACES,
    spec.tls.certManagerNamespace,
    spec.portal.serviceAccount.namespace,
    spec.network.ingressControllerNamespace,
    spec.network.dnsNamespace,
  ]);
  const aggNs = aggregatorNamespace(spec);
  if (reserved.has(aggNs)) {
    problems.push({
      path: ['aggregator', 'namespace'],
      message: `must be a dedicated namespace, not "${aggNs}"`,
    });
  }
  seenNamespaces.set(aggNs, 'the aggregator');
  spec.participants.forEach((participant, index) => {
    const first = seenNames.get(participant.name);
    if (first !== undefined) {
      problems.push({
        path: ['participants', index, 'name'],
        message: `duplicate participant name "${participant.name}" (also participants[${first}])`,
      });
      return;
    }
    seenNames.set(participant.name, index);
    const ns = participantNamespace(spec, index);
    const nsPath = ['participants', index, 'namespace'];
    if (reserved.has(ns)) {
      problems.push({ path: nsPath, message: `must be a dedicated namespace, not "${ns}"` });
    } else if (seenNamespaces.has(ns)) {
      problems.push({
        path: nsPath,
        message: `namespace "${ns}" is already used by ${seenNamespaces.get(ns)}`,
      });
    } else {
      seenNamespaces.set(ns, `participant "${participant.name}"`);
    }
  });
}

function checkTls(spec: ParsedSpec, problems: Problem[]) {
  const { tls } = spec;
  const sizes = KEY_SIZES[tls.keyAlgorithm];
  if (tls.keySize !== undefined && !sizes.includes(tls.keySize)) {
    problems.push({
      path: ['tls', 'keySize'],
      message: `must be one of ${sizes.join(', ')} for ${tls.keyAlgorithm}`,
    });
  }
  const duration = parseDurationSeconds(tls.duration);
  const renewBefore = parseDurationSeconds(tls.renewBefore);
  if (duration !== undefined && duration < MIN_DURATION_SECONDS) {
    problems.push({ path: ['tls', 'duration'], message: 'must be at least 1h' });
  }
  if (duration !== undefined && duration > MAX_DURATION_SECONDS) {
    problems.push({ path: ['tls', 'duration'], message: 'must be at most 8760h (one year)' });
  }
  if (renewBefore !== undefined && renewBefore < MIN_RENEW_BEFORE_SECONDS) {
    problems.push({ path: ['tls', 'renewBefore'], message: 'must be at least 5m' });
  }
  if (duration !== undefined && renewBefore !== undefined && renewBefore >= duration) {
    problems.push({ path: ['tls', 'renewBefore'], message: 'must be shorter than tls.duration' });
  }
  if (tls.provider === 'cert-manager-issuer' && !tls.issuer) {
    problems.push({
      path: ['tls', 'issuer'],
      message: 'is required when tls.provider is cert-manager-issuer',
    });
  }
  if (tls.provider !== 'cert-manager-issuer' && tls.issuer) {
    problems.push({
      path: ['tls', 'issuer'],
      message: 'is only allowed when tls.provider is cert-manager-issuer',
    });
  }
  const usesVault = VAULT_TLS_PROVIDERS.includes(tls.provider);
  if (usesVault && !tls.vault) {
    problems.push({ path: ['tls', 'vault'], message: `is required when tls.provider is ${tls.provider}` });
  }
  if (!usesVault && tls.vault) {
    problems.push({
      path: ['tls', 'vault'],
      message: 'is only allowed when tls.provider is a Vault provider',
    });
  }
  const egress = tls.vault?.egress;
  if (tls.provider === 'vault-agent' && tls.vault && !egress?.namespace && !egress?.cidrs?.length) {
    problems.push({
      path: ['tls', 'vault', 'egress'],
      message: 'must name the Vault namespace or CIDRs: the agent sidecar needs an egress rule',
    });
  }
  if (tls.provider !== 'vault-agent' && egress) {
    problems.push({
      path: ['tls', 'vault', 'egress'],
      message: 'is only allowed when tls.provider is vault-agent',
    });
  }
}

function checkNetwork(spec: ParsedSpec, problems: Problem[]) {
  const { network } = spec;
  if (network.exposure !== 'none' && !network.externalHost) {
    problems.push({
      path: ['network', 'externalHost'],
      message: `is required when network.exposure is ${network.exposure}`,
    });
  }
  if (network.exposure === 'none' && network.externalHost) {
    problems.push({
      path: ['network', 'externalHost'],
      message: 'is only allowed when network.exposure is ingress-nginx or gateway-api',
    });
  }
  if (network.exposure === 'gateway-api' && !network.gateway) {
    problems.push({
      path: ['network', 'gateway'],
      message: 'is required when network.exposure is gateway-api',
    });
  }
  if (network.exposure !== 'gateway-api' && network.gateway) {
    problems.push({
      path: ['network', 'gateway'],
      message: 'is only allowed when network.exposure is gateway-api',
    });
  }
  if (spec.mesh === 'istio' && network.exposure === 'ingress-nginx') {
    problems.push({
      path: ['mesh'],
      message:
        'istio STRICT mTLS rejects passthrough traffic from ingress-nginx: use network.exposure gateway-api (Istio gateway) or none',
    });
  }
}

function crossFieldProblems(spec: ParsedSpec): Problem[] {
  const problems: Problem[] = [];
  checkParticipants(spec, problems);
  checkTls(spec, problems);
  checkNetwork(spec, problems);
  return problems;
}

function unique(values: readonly string[]) {
  return [...new Set(values)].sort();
}

function normalize(spec: ParsedSpec): FederationSpec {
  const participants = spec.participants
    .map((participant, index) => ({
      name: participant.name,
      namespace: participantNamespace(spec, index),
    }))
    // Code-unit order (names are unique), the same on every machine.
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const { vault } = spec.tls;
  return {
    name: spec.name,
    framework: spec.framework,
    clusterDomain: spec.clusterDomain,
    images: { ...spec.images },
    aggregator: {
      namespace: aggregatorNamespace(spec),
      port: spec.aggregator.port,
      stateStorage: { ...spec.aggregator.stateStorage },
    },
    participants,
    tls: {
      provider: spec.tls.provider,
      certManagerNamespace: spec.tls.certManagerNamespace,
      ...(spec.tls.issuer ? { issuer: { ...spec.tls.issuer } } : {}),
      ...(vault
        ? {
            vault: {
              server: vault.server.replace(/\/$/, ''),
              pkiMount: vault.pkiMount,
              role: vault.role,
              authMount: vault.authMount,
              authRole: vault.authRole,
              ...(vault.caBundleSecret ? { caBundleSecret: vault.caBundleSecret } : {}),
              ...(vault.egress
                ? {
                    egress: {
                      ...(vault.egress.namespace ? { namespace: vault.egress.namespace } : {}),
                      cidrs: unique(vault.egress.cidrs ?? []),
                    },
                  }
                : {}),
            },
          }
        : {}),
      keyAlgorithm: spec.tls.keyAlgorithm,
      keySize: spec.tls.keySize ?? KEY_SIZES[spec.tls.keyAlgorithm][0],
      duration: spec.tls.duration,
      renewBefore: spec.tls.renewBefore,
    },
    network: {
      exposure: spec.network.exposure,
      ...(spec.network.externalHost ? { externalHost: spec.network.externalHost } : {}),
      ingressClassName: spec.network.ingressClassName,
      ingressControllerNamespace: spec.network.ingressControllerNamespace,
      ...(spec.network.gateway ? { gateway: { ...spec.network.gateway } } : {}),
      allowedCidrs: unique(spec.network.allowedCidrs),
      dnsNamespace: spec.network.dnsNamespace,
    },
    mesh: spec.mesh,
    portal: { serviceAccount: { ...spec.portal.serviceAccount } },
  };
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

/** Service name of the aggregator; participants dial `<it>.<namespace>.svc`. */
export const SUPERLINK_SERVICE_NAME = 'superlink';
