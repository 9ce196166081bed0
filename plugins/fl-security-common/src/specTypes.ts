/** The normalized federation spec the generator consumes. */
import type { Exposure, KeyAlgorithm, MeshMode, TlsProvider } from './specConstants';

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
  portal: {
    serviceAccount: { namespace: string; name: string };
    /** Absent: component:default/<name> (see federationEntityRef). */
    entityRef?: string;
  };
}

export type SpecValidationResult =
  | { ok: true; spec: FederationSpec }
  | { ok: false; errors: string[] };

