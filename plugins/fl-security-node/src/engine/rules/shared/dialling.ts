/**
 * Who dials an aggregator, and by which host: the participants' --superlink
 * addresses (CERT-05 checks the names, CERT-06 the chain against each
 * participant's own trust) and the external hosts of passthrough Ingresses
 * and TLS routes.
 */
import { isWildcard } from '../../model/dnsNames';
import { exposureOf, isPassthroughIngress } from '../../model/exposure';
import type { Federation, Member } from '../../model/federation';
import { FlowerProcess, flagValue, hostOfAddress } from '../../model/flower';
import { serviceForHost, serviceSelects } from '../../model/services';

/** Hosts outside the cluster that reach the aggregator without terminating TLS. */
export function externalHosts(federation: Federation): Set<string> {
  const exposure = exposureOf(federation);
  const external = new Set<string>();
  for (const ingress of exposure.ingresses) {
    if (!isPassthroughIngress(ingress)) continue;
    for (const host of ingress.hosts)
      if (host && !isWildcard(host)) external.add(host);
  }
  for (const route of exposure.routes) {
    if (route.kind !== 'TLSRoute' && route.kind !== 'TCPRoute') continue;
    if (route.listeners.some(l => l.tlsMode === 'Terminate')) continue;
    for (const host of route.hostnames)
      if (!isWildcard(host)) external.add(host);
  }
  return external;
}

export interface Dial {
  participant: Member;
  process: FlowerProcess;
  host: string;
  /** `namespace/name` of the participant workload. */
  by: string;
}

/** The participant processes that dial this aggregator (--superlink), with the host they dial. */
export function dialsOf(
  federation: Federation,
  aggregator: Member,
  external: ReadonlySet<string> = externalHosts(federation),
): Dial[] {
  const out: Dial[] = [];
  for (const participant of federation.participants) {
    for (const process of participant.flower) {
      const address = flagValue(process, '--superlink');
      if (!address) continue;
      const host = hostOfAddress(address);
      const service =
        participant.index === aggregator.index
          ? serviceForHost(
              participant.index,
              host,
              participant.workload.namespace,
            )
          : undefined;
      const dialsThis =
        federation.aggregators.length === 1 ||
        external.has(host) ||
        (service !== undefined && serviceSelects(service, aggregator.workload));
      if (dialsThis)
        out.push({
          participant,
          process,
          host,
          by: `${participant.workload.namespace}/${participant.workload.name}`,
        });
    }
  }
  return out;
}
