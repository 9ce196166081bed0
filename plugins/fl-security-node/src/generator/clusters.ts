/**
 * Which cluster each part of a federation runs in. Without a named
 * aggregator cluster, or with every participant in the aggregator's cluster,
 * the federation is one cluster and the tree keeps its single-bundle layout.
 * Sites in another cluster reach the aggregator only through its external
 * entry (host, port, addresses), never through in-cluster Service names.
 */
import {
  DEFAULT_EXTERNAL_PORT,
  FederationSpec,
  ParticipantSpec,
} from '@fl-security/plugin-fl-security-common';
import { superlinkServiceHost } from './names';

/** A participant in another cluster than the aggregator. */
export function isRemoteParticipant(spec: FederationSpec, participant: ParticipantSpec): boolean {
  const home = spec.aggregator.cluster;
  return home !== undefined && participant.cluster !== undefined && participant.cluster !== home;
}

/** Whether any participant runs in another cluster (one bundle per cluster then). */
export function isCrossSilo(spec: FederationSpec): boolean {
  return spec.participants.some(participant => isRemoteParticipant(spec, participant));
}

/** Participants in the aggregator's cluster. */
export function localParticipants(spec: FederationSpec): ParticipantSpec[] {
  return spec.participants.filter(participant => !isRemoteParticipant(spec, participant));
}

/** Participants of each other cluster, clusters in code-unit order. */
export function siteClusters(spec: FederationSpec): { cluster: string; participants: ParticipantSpec[] }[] {
  const byCluster = new Map<string, ParticipantSpec[]>();
  for (const participant of spec.participants) {
    if (!isRemoteParticipant(spec, participant)) continue;
    const list = byCluster.get(participant.cluster!) ?? [];
    list.push(participant);
    byCluster.set(participant.cluster!, list);
  }
  return [...byCluster.keys()]
    .sort((a, b) => (a < b ? -1 : 1))
    .map(cluster => ({ cluster, participants: byCluster.get(cluster)! }));
}

/** Port of the external entry sites in other clusters dial. */
export function externalPort(spec: FederationSpec): number {
  return spec.network.externalPort ?? DEFAULT_EXTERNAL_PORT;
}

/**
 * The address a SuperNode dials: the Service inside the aggregator's
 * cluster, the external host from any other (SNI and SANs match it).
 */
export function superlinkAddress(spec: FederationSpec, participant: ParticipantSpec): string {
  if (isRemoteParticipant(spec, participant)) {
    return `${spec.network.externalHost}:${externalPort(spec)}`;
  }
  return `${superlinkServiceHost(spec)}:${spec.aggregator.port}`;
}
