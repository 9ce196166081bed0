/**
 * The Flower workloads: SuperLink (aggregator) and one SuperNode per site,
 * hardened for the `restricted` Pod Security Standard with a read-only root
 * filesystem and no ServiceAccount token.
 */
import {
  ALLOWED_EGRESS_ANNOTATION,
  ALLOWED_SOURCES_ANNOTATION,
  FederationSpec,
  ImageRole,
  ParticipantSpec,
} from '@fl-security/plugin-fl-security-common';
import { FlowerProcess, superlinkProcess, supernodeProcess } from './flower';
import {
  fleetGatewayConfigHash,
  fleetGatewayConfigMap,
  fleetGatewayProcess,
} from './gateway';
import { labels, manifest, Manifest, selectorLabels } from './meta';
import {
  FLEET_GATEWAY,
  FLEET_GATEWAY_CONFIG_DIR,
  FLEET_PORT_NAME,
  FLOWER_UID,
  NODE_AUTH_DIR,
  NODE_AUTH_SECRET,
  NODE_AUTH_SECRET_KEY,
  STATE_DIR,
  STATE_PVC,
  SUPERLINK,
  SUPERNODE,
  TLS_DIR,
} from './names';
import { allowedEgress, allowedSources } from './network';
import { tlsSecretName, vaultAgentAnnotations, VAULT_TOKEN_VOLUME } from './pki';

const FLEET_GATEWAY_CONFIG_ANNOTATION = 'fl-security/fleet-gateway-config-sha256';

/** Group-readable by the pod's fsGroup only. */
const SECRET_FILE_MODE = 0o440;

/**
 * Ephemeral storage per container. The kubelet evicts a pod whose emptyDirs,
 * logs and writable layers outgrow the sum of its containers' limits, so each
 * limit covers the emptyDirs its container writes (their sizeLimits) plus its
 * rotated logs (5 x 10Mi by default); the root filesystems are read-only.
 */
const EPHEMERAL_STORAGE = {
  // /tmp (256Mi) and logs; the state lives on the PersistentVolumeClaim.
  superlink: { requests: '128Mi', limits: '512Mi' },
  // Logs only: the configuration and certificates are read-only volumes.
  fleetGateway: { requests: '16Mi', limits: '128Mi' },
  // Flower home (1Gi: the app bundle and its installs), /tmp (256Mi), logs.
  supernode: { requests: '256Mi', limits: '2Gi' },
} as const;

/** emptyDir sizes; the ephemeral-storage limits above cover them. */
const TMP_SIZE = '256Mi';
const FLWR_HOME_SIZE = '1Gi';

/** A container's image: pinned by digest when the spec gives one. */
export function imageReference(spec: FederationSpec, role: ImageRole): string {
  const digest = spec.images.digests?.[role];
  return digest ? `${spec.images[role]}@${digest}` : spec.images[role];
}

function resources(
  role: ImageRole,
  cpuMemory: { requests: Record<string, string>; limits: Record<string, string> },
) {
  const storage = EPHEMERAL_STORAGE[role];
  return {
    requests: { ...cpuMemory.requests, 'ephemeral-storage': storage.requests },
    limits: { ...cpuMemory.limits, 'ephemeral-storage': storage.limits },
  };
}

function podSecurityContext() {
  return {
    runAsNonRoot: true,
    runAsUser: FLOWER_UID,
    runAsGroup: FLOWER_UID,
    fsGroup: FLOWER_UID,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

function containerSecurityContext() {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

function tlsVolume(secretName: string | undefined, files: string[]) {
  if (!secretName) return [];
  return [
    {
      name: 'tls',
      secret: {
        secretName,
        defaultMode: SECRET_FILE_MODE,
        items: files.map(key => ({ key, path: key })),
      },
    },
  ];
}

function vaultTokenVolume(spec: FederationSpec) {
  if (spec.tls.provider !== 'vault-agent') return [];
  return [
    {
      name: VAULT_TOKEN_VOLUME,
      projected: {
        sources: [
          { serviceAccountToken: { path: 'token', audience: 'vault', expirationSeconds: 600 } },
        ],
      },
    },
  ];
}

function tlsMount(secretName: string | undefined) {
  // With the Vault Agent, the injector mounts its own volume at TLS_DIR.
  return secretName ? [{ name: 'tls', mountPath: TLS_DIR, readOnly: true }] : [];
}

function container(
  name: string,
  image: string,
  process: FlowerProcess,
  extra: {
    ports?: unknown[];
    probes?: Record<string, unknown>;
    volumeMounts: unknown[];
    resources: Record<string, unknown>;
  },
) {
  return {
    name,
    image,
    imagePullPolicy: 'IfNotPresent',
    command: process.command,
    args: process.args,
    env: process.env,
    ...(extra.ports ? { ports: extra.ports } : {}),
    ...(extra.probes ?? {}),
    resources: extra.resources,
    securityContext: containerSecurityContext(),
    volumeMounts: extra.volumeMounts,
  };
}

function podSpec(serviceAccountName: string, containers: unknown[], volumes: unknown[]) {
  return {
    serviceAccountName,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: podSecurityContext(),
    containers,
    volumes,
  };
}

function rotationAnnotations(
  secretName: string | undefined,
  spec: FederationSpec,
): Record<string, string> {
  // Flower reads certificates at start only. The Vault Secrets Operator
  // restarts the Deployment itself; for cert-manager Secrets, Reloader does.
  if (!secretName || spec.tls.provider === 'vault-pki-secret') return {};
  return { 'secret.reloader.stakater.com/reload': secretName };
}

function serviceAccount(name: string, namespace: string, roleLabels: Record<string, string>) {
  return manifest('v1', 'ServiceAccount', { name, namespace, labels: roleLabels }, {
    automountServiceAccountToken: false,
  });
}

export function aggregatorWorkloads(spec: FederationSpec): Manifest[] {
  const ns = spec.aggregator.namespace;
  const roleLabels = labels(spec, { role: 'aggregator', app: SUPERLINK });
  const secretName = tlsSecretName(spec, 'aggregator');
  // Fleet, Control and Runtime APIs on 127.0.0.1 only: no port, no network
  // probe (the kubelet dials the pod IP). The gateway owns the fleet port.
  const superlink = container(SUPERLINK, imageReference(spec, 'superlink'), superlinkProcess(spec), {
    resources: resources('superlink', {
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '2', memory: '2Gi' },
    }),
    volumeMounts: [
      ...tlsMount(secretName),
      { name: 'state', mountPath: STATE_DIR },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  });
  const fleetProbe = { tcpSocket: { port: FLEET_PORT_NAME } };
  const gateway = container(FLEET_GATEWAY, imageReference(spec, 'fleetGateway'), fleetGatewayProcess(spec), {
    ports: [{ name: FLEET_PORT_NAME, containerPort: spec.aggregator.port, protocol: 'TCP' }],
    probes: {
      readinessProbe: { ...fleetProbe, periodSeconds: 10 },
      livenessProbe: { ...fleetProbe, initialDelaySeconds: 15, periodSeconds: 20 },
    },
    resources: resources('fleetGateway', {
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { cpu: '1', memory: '256Mi' },
    }),
    volumeMounts: [
      ...tlsMount(secretName),
      { name: 'fleet-gateway', mountPath: FLEET_GATEWAY_CONFIG_DIR, readOnly: true },
    ],
  });
  const volumes = [
    ...tlsVolume(secretName, ['ca.crt', 'tls.crt', 'tls.key']),
    ...vaultTokenVolume(spec),
    { name: 'state', persistentVolumeClaim: { claimName: STATE_PVC } },
    { name: 'tmp', emptyDir: { sizeLimit: TMP_SIZE } },
    { name: 'fleet-gateway', configMap: { name: FLEET_GATEWAY } },
  ];
  const storage = spec.aggregator.stateStorage;
  return [
    serviceAccount(SUPERLINK, ns, roleLabels),
    fleetGatewayConfigMap(spec),
    manifest('v1', 'PersistentVolumeClaim', { name: STATE_PVC, namespace: ns, labels: roleLabels }, {
      spec: {
        accessModes: ['ReadWriteOnce'],
        ...(storage.storageClassName ? { storageClassName: storage.storageClassName } : {}),
        resources: { requests: { storage: storage.size } },
      },
    }),
    manifest('apps/v1', 'Deployment', {
      name: SUPERLINK,
      namespace: ns,
      labels: roleLabels,
      annotations: {
        [ALLOWED_SOURCES_ANNOTATION]: allowedSources(spec).join(','),
        ...egressAnnotation(spec),
        ...rotationAnnotations(secretName, spec),
      },
    }, {
      spec: {
        // The Fleet API supports one worker and the state is one SQLite file.
        replicas: 1,
        revisionHistoryLimit: 3,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selectorLabels(spec, SUPERLINK) },
        template: {
          metadata: {
            labels: roleLabels,
            annotations: {
              // A changed gateway configuration restarts the pod.
              [FLEET_GATEWAY_CONFIG_ANNOTATION]: fleetGatewayConfigHash(),
              ...vaultAgentAnnotations(spec, 'aggregator'),
            },
          },
          spec: podSpec(SUPERLINK, [superlink, gateway], volumes),
        },
      },
    }),
    manifest('v1', 'Service', { name: SUPERLINK, namespace: ns, labels: roleLabels }, {
      spec: {
        type: 'ClusterIP',
        selector: selectorLabels(spec, SUPERLINK),
        // Only the gateway's TLS listener (Fleet API); nothing else in the pod.
        ports: [
          {
            name: FLEET_PORT_NAME,
            port: spec.aggregator.port,
            targetPort: FLEET_PORT_NAME,
            protocol: 'TCP',
            appProtocol: 'https',
          },
        ],
      },
    }),
  ];
}

function egressAnnotation(spec: FederationSpec): Record<string, string> {
  const egress = allowedEgress(spec);
  return egress.length ? { [ALLOWED_EGRESS_ANNOTATION]: egress.join(',') } : {};
}

function annotationsField(annotations: Record<string, string>) {
  return Object.keys(annotations).length > 0 ? { annotations } : {};
}

export function participantWorkloads(
  spec: FederationSpec,
  participant: ParticipantSpec,
  partitionId: number,
): Manifest[] {
  const ns = participant.namespace;
  const roleLabels = labels(spec, { role: 'participant', app: SUPERNODE, participant: participant.name });
  const secretName = tlsSecretName(spec, 'participant');
  const process = supernodeProcess(spec, participant, partitionId);
  const supernode = container(SUPERNODE, imageReference(spec, 'supernode'), process, {
    resources: resources('supernode', {
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '2', memory: '4Gi' },
    }),
    volumeMounts: [
      ...tlsMount(secretName),
      { name: 'node-auth', mountPath: NODE_AUTH_DIR, readOnly: true },
      { name: 'flwr-home', mountPath: STATE_DIR },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  });
  const volumes = [
    // Only the CA: Flower verifies the SuperLink with it. The client
    // certificate in the same Secret is for meshes and sidecars.
    ...tlsVolume(secretName, ['ca.crt']),
    ...vaultTokenVolume(spec),
    {
      name: 'node-auth',
      secret: {
        secretName: NODE_AUTH_SECRET,
        defaultMode: SECRET_FILE_MODE,
        items: [{ key: NODE_AUTH_SECRET_KEY, path: NODE_AUTH_SECRET_KEY }],
      },
    },
    { name: 'flwr-home', emptyDir: { sizeLimit: FLWR_HOME_SIZE } },
    { name: 'tmp', emptyDir: { sizeLimit: TMP_SIZE } },
  ];
  return [
    serviceAccount(SUPERNODE, ns, roleLabels),
    manifest('apps/v1', 'Deployment', {
      name: SUPERNODE,
      namespace: ns,
      labels: roleLabels,
      annotations: { ...egressAnnotation(spec), ...rotationAnnotations(secretName, spec) },
    }, {
      spec: {
        // One node identity (auth key) per site: never two pods at once.
        replicas: 1,
        revisionHistoryLimit: 3,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selectorLabels(spec, SUPERNODE) },
        template: {
          metadata: {
            labels: roleLabels,
            ...annotationsField(vaultAgentAnnotations(spec, 'participant', participant)),
          },
          spec: podSpec(SUPERNODE, [supernode], volumes),
        },
      },
    }),
  ];
}
