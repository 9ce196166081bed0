/**
 * Which participants run in another cluster than their aggregator (a site).
 * Live, each snapshot is one cluster: a participant is a site when no
 * aggregator of its federation was read from its cluster. Offline the files
 * carry no cluster, so the generator's annotations say it: the site's
 * cluster and the aggregator's. Namespaces and pods a site's policies name
 * are the site cluster's, never the aggregator's.
 */
import {
  AGGREGATOR_CLUSTER_ANNOTATION,
  CLUSTER_ANNOTATION,
} from '@fl-security/plugin-fl-security-common';
import type { ClusterIndex } from './clusterIndex';
import type { Federation, Member } from './federation';

export interface Site {
  /** The site's cluster: the snapshot's, else the generator's annotation. */
  cluster?: string;
  /** The aggregator's cluster, when known. */
  aggregatorCluster?: string;
  /** The aggregator was evaluated with the site (its cluster read, or its files given). */
  aggregatorRead: boolean;
}

function annotation(member: Member, key: string): string | undefined {
  const value =
    member.workload.annotations[key] ?? member.workload.podAnnotations[key];
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** The aggregator cluster the generator wrote on a site's workload (offline marker). */
export function annotatedAggregatorCluster(member: Member): string | undefined {
  return annotation(member, AGGREGATOR_CLUSTER_ANNOTATION);
}

/** The cluster a member runs in, as far as the snapshot says. */
export function clusterOfMember(member: Member): string | undefined {
  return (
    member.index.cluster ??
    (member.index.offline ? annotation(member, CLUSTER_ANNOTATION) : undefined)
  );
}

/** Offline, annotations naming two different clusters. */
function annotatedElsewhere(member: Member): boolean {
  const own = annotation(member, CLUSTER_ANNOTATION);
  const hub = annotatedAggregatorCluster(member);
  return (
    member.index.offline &&
    own !== undefined &&
    hub !== undefined &&
    own !== hub
  );
}

/** The site a participant is, or undefined when it runs beside its aggregator (or nothing says otherwise). */
export function siteOf(member: Member, federation: Federation): Site | undefined {
  const aggregators = federation.aggregators;
  const beside = aggregators.filter(a => a.index === member.index);
  if (beside.length > 0 && !annotatedElsewhere(member)) return undefined;
  const cluster = clusterOfMember(member);
  if (aggregators.length > 0) {
    const other = aggregators.find(a => a.index !== member.index);
    return {
      cluster,
      aggregatorCluster: other
        ? clusterOfMember(other)
        : annotatedAggregatorCluster(member),
      aggregatorRead: true,
    };
  }
  const hub = annotatedAggregatorCluster(member);
  if (hub === undefined || hub === cluster) return undefined;
  return { cluster, aggregatorCluster: hub, aggregatorRead: false };
}

/** `in cluster x` for messages (offline without a name: in another cluster). */
export function inCluster(cluster: string | undefined): string {
  return cluster === undefined
    ? 'in another cluster than the aggregator'
    : `in cluster ${cluster}`;
}

/** Whether an index holds one of the federation's aggregators. */
export function holdsAggregator(
  federation: Federation,
  index: ClusterIndex,
): boolean {
  return federation.aggregators.some(a => a.index === index);
}
