/** The normalized federation spec the generator consumes. */
import type { Exposure, KeyAlgorithm, MeshMode, TlsProvider, TrustDistribution } from './specConstants';

export interface ParticipantSpec {
  name: string;
  namespace: string;
  /**
   * Set whenever the aggregator names its cluster (then the participant's
   * own, default the aggregator's); absent in a single unnamed cluster.
   */
  cluster?: string;
  /** Only for a participant in another cluster than the aggregator. */
  caDistribution?: TrustDistribution;
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

/** The images of a federation, each pinnable by digest. */
export type ImageRole = 'superlink' | 'supernode' | 'fleetGateway';

/** A validated spec with every default applied; participants sorted by name. */
export interface FederationSpec {
  name: string;
  framework: 'flower';
  clusterDomain: string;
  images: {
    superlink: string;
    supernode: string;
    fleetGateway: string;
    digests?: Partial<Record<ImageRole, string>>;
  };
  aggregator: {
    namespace: string;
    /** Absent: one unnamed cluster holds the whole federation. */
    cluster?: string;
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
    /** Base64 PEM CA certificates for sites in other clusters. */
    caBundle?: string[];
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
    /** Only with participants in other clusters: where they may connect. */
    externalAddresses?: string[];
    /** Only with participants in other clusters (default 443). */
    externalPort?: number;
    dnsNamespace: string;
  };
  mesh: MeshMode;
  portal: {
    serviceAccount: { namespace: string; name: string };
    /** Absent: component:default/<name> (see federationEntityRef). */
    entityRef?: string;
  };
}

export type SpecValidationResult =
  | { ok: true; spec: FederationSpec }
  | { ok: false; errors: string[] };

