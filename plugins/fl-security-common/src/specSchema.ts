/**
 * The shape of the federation spec (zod): every field, its format check and
 * its default. Whatever this schema does not describe is rejected.
 */
import { z } from 'zod';
import {
  DEFAULT_FLEET_GATEWAY_IMAGE,
  DEFAULT_FLEET_PORT,
  DEFAULT_SUPERLINK_IMAGE,
  DEFAULT_SUPERNODE_IMAGE,
  EXPOSURES,
  KEY_ALGORITHMS,
  MAX_PARTICIPANTS,
  MAX_SHORT_NAME,
  MAX_CA_CERTIFICATES,
  MAX_EXTERNAL_ADDRESSES,
  MESH_MODES,
  SUPERLINK_LOOPBACK_PORT,
  TLS_PROVIDERS,
  TRUST_DISTRIBUTIONS,
} from './specConstants';
import type { ImageRole } from './specTypes';
import { isFullEntityRef } from './entity';
import {
  checkCaCertificate,
  checkCidr,
  checkExternalAddress,
  checkDnsLabel,
  checkDuration,
  checkHostname,
  checkHttpsOrigin,
  checkImageDigest,
  checkImageReference,
  checkPlainText,
  checkStorageSize,
  checkVaultMountPath,
  checkVaultPathSegment,
} from './specFormats';

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

/** A Kubernetes cluster, by the name the portal and the generated tree use. */
const clusterName = () => label();

const participantSchema = z.strictObject({
  name: label(MAX_SHORT_NAME),
  namespace: label().optional(),
  /** The site's own cluster; default the aggregator's. */
  cluster: clusterName().optional(),
  /** How a site in another cluster receives the CA it trusts; default configmap. */
  caDistribution: oneOf(TRUST_DISTRIBUTIONS).optional(),
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
  /**
   * CA certificates sites in other clusters trust, each base64 of one PEM
   * certificate (a Secret's ca.crt). During a CA rotation, list old and new.
   */
  caBundle: z
    .array(text(checkCaCertificate, { plainFirst: false }))
    .min(1, { error: 'must list at least one CA certificate (or be left out)' })
    .max(MAX_CA_CERTIFICATES, { error: `must list at most ${MAX_CA_CERTIFICATES} CA certificates` })
    .optional(),
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
  /**
   * Where sites in other clusters connect: the external entry's addresses
   * (its load balancer), the only destinations their egress allows.
   */
  externalAddresses: z
    .array(text(checkExternalAddress, { plainFirst: false }))
    .min(1, { error: 'must list at least one CIDR' })
    .max(MAX_EXTERNAL_ADDRESSES)
    .optional(),
  /** Port of the external entry sites dial (default 443). */
  externalPort: z
    .number({ error: typeError('a number') })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be between 1 and 65535' })
    .max(65535, { error: 'must be between 1 and 65535' })
    .optional(),
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
      /** Pins an image above by digest: rendered as `<image>@<digest>`. */
      digests: z
        .strictObject({
          superlink: text(checkImageDigest, { plainFirst: false }).optional(),
          supernode: text(checkImageDigest, { plainFirst: false }).optional(),
          fleetGateway: text(checkImageDigest, { plainFirst: false }).optional(),
        })
        .optional(),
    })
    .superRefine((images, ctx) => {
      for (const [role, digest] of Object.entries(images.digests ?? {})) {
        if (digest && images[role as ImageRole].includes('@')) {
          ctx.addIssue({
            code: 'custom',
            path: ['digests', role],
            message: `must not be set when images.${role} already names a digest`,
          });
        }
      }
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
      /** The aggregator's cluster; needed once a participant names another. */
      cluster: clusterName().optional(),
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
      /** The catalog entity the namespaces are bound to (default component:default/<name>). */
      entityRef: text(value =>
        isFullEntityRef(value) ? undefined : 'must be a full entity ref, kind:namespace/name',
      ).optional(),
    })
    .default({ serviceAccount: { namespace: 'backstage', name: 'backstage' } }),
});

/** What a spec file or form may contain (defaults not yet applied). */
export type FederationSpecInput = z.input<typeof federationSpecSchema>;
/** A spec that passed the schema, before cross-field checks and normalisation. */
export type ParsedSpec = z.output<typeof federationSpecSchema>;

