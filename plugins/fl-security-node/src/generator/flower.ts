/**
 * Command lines of the Flower processes, for flwr FLOWER_VERSION only. Every
 * flag below exists in that release's `flower-superlink --help` /
 * `flower-supernode --help`; deprecated flags are not rendered.
 *
 * In this release the SuperLink serves the Fleet, Control and Runtime APIs
 * over one HTTPS listener (`--host`/`--port`) and the Control API has no
 * authentication, so that listener is bound to 127.0.0.1: participants reach
 * only the Fleet API, through the in-pod fleet gateway (gateway.ts), and
 * operators reach the Control API with kubectl port-forward. The SuperNode's
 * own Runtime API stays on 127.0.0.1 inside its pod.
 */
import {
  FederationSpec,
  ParticipantSpec,
  SUPERLINK_LOOPBACK_PORT,
} from '@fl-security/plugin-fl-security-common';
import {
  CA_FILE,
  CERT_FILE,
  KEY_FILE,
  NODE_AUTH_KEY_FILE,
  STATE_DIR,
  SUPERNODE_RUNTIME_PORT,
} from './names';
import { superlinkAddress } from './clusters';
import { fleetGatewayProcess } from './gateway';
import type {
  EnvVar,
  FlowerParticipantProcess,
  FlowerProcess,
  FlowerProcesses,
} from './processes';

export type {
  EnvVar,
  FlowerParticipantProcess,
  FlowerProcess,
  FlowerProcesses,
} from './processes';

/**
 * Flower phones home (telemetry, update check) unless told not to; egress is
 * denied anyway, and FLWR_HOME must point at a writable volume because the
 * root filesystem is read-only.
 */
function flowerEnv(): EnvVar[] {
  return [
    { name: 'FLWR_HOME', value: `${STATE_DIR}/home` },
    { name: 'FLWR_TELEMETRY_ENABLED', value: '0' },
    { name: 'FLWR_DISABLE_UPDATE_CHECK', value: '1' },
  ];
}

// The spec no longer shapes the SuperLink's flags (its listener is fixed on
// loopback); the parameter keeps the exported signature.
export function superlinkProcess(_spec: FederationSpec): FlowerProcess {
  return {
    command: ['flower-superlink'],
    args: [
      // TLS ends here, inside the aggregator pod (all three flags are needed).
      '--ssl-ca-certfile',
      CA_FILE,
      '--ssl-certfile',
      CERT_FILE,
      '--ssl-keyfile',
      KEY_FILE,
      // Only registered SuperNode public keys may join.
      '--enable-supernode-auth',
      // Never reachable from the network: the Control API has no auth.
      '--host',
      '127.0.0.1',
      '--port',
      String(SUPERLINK_LOOPBACK_PORT),
      '--database',
      `${STATE_DIR}/state.db`,
      '--isolation',
      'subprocess',
      // Egress is denied: apps must not download dependencies at run time.
      '--disable-runtime-dependency-installation',
    ],
    env: flowerEnv(),
  };
}

export function supernodeProcess(
  spec: FederationSpec,
  participant: ParticipantSpec,
  partitionId: number,
): FlowerParticipantProcess {
  return {
    participant: participant.name,
    namespace: participant.namespace,
    command: ['flower-supernode'],
    args: [
      '--superlink',
      superlinkAddress(spec, participant),
      // Trust only the federation's CA, not the system store.
      '--root-certificates',
      CA_FILE,
      '--auth-supernode-private-key',
      NODE_AUTH_KEY_FILE,
      '--host',
      '127.0.0.1',
      '--port',
      String(SUPERNODE_RUNTIME_PORT),
      '--isolation',
      'subprocess',
      '--node-config',
      `partition-id=${partitionId} num-partitions=${spec.participants.length}`,
    ],
    env: flowerEnv(),
  };
}

/**
 * The exact command lines the generated Deployments run: for tests and for
 * running a real federation outside Kubernetes with the same flags.
 */
export function flowerProcesses(spec: FederationSpec): FlowerProcesses {
  return {
    aggregator: superlinkProcess(spec),
    fleetGateway: fleetGatewayProcess(spec),
    participants: spec.participants.map((participant, index) =>
      supernodeProcess(spec, participant, index),
    ),
  };
}
