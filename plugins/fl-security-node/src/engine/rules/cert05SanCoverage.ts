/**
 * CERT-05: the aggregator's certificate names every host clients dial:
 * the participants' --superlink hosts and the external hosts of passthrough
 * Ingresses/TLSRoutes (fail when missing), and the `<svc>.<ns>.svc` and
 * `.svc.cluster.local` names of Services exposing its FL port (warn when
 * missing). A certificate with no SAN (CN only) fails: clients ignore the CN.
 */
import { isIP } from 'node:net';
import { coveredBy, isWildcard } from '../model/dnsNames';
import { exposureOf, isPassthroughIngress } from '../model/exposure';
import type { Federation, Member } from '../model/federation';
import { flagValue, hostOfAddress } from '../model/flower';
import {
  serviceDnsNames,
  serviceForHost,
  serviceSelects,
  targetPortOn,
} from '../model/services';
import { finding, workloadRef } from './helpers';
import { aggregatorPorts } from './reachabilityAnalysis';
import { namesServedBy } from './servedCertificate';
import type { Finding, Rule } from './types';

interface Required {
  name: string;
  why: string;
  mustHave: boolean;
}

function requiredNames(federation: Federation, aggregator: Member): Required[] {
  const required = new Map<string, Required>();
  const add = (name: string, why: string, mustHave: boolean) => {
    const key = name.toLowerCase().replace(/\.$/, '');
    const existing = required.get(key);
    if (!existing || (mustHave && !existing.mustHave))
      required.set(key, { name: key, why, mustHave });
  };
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
  external.forEach(host => add(host, 'external host (passthrough)', true));

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
        add(
          host,
          `dialled by ${participant.workload.namespace}/${participant.workload.name}`,
          true,
        );
    }
  }

  const fleet = new Set(aggregatorPorts(aggregator));
  for (const service of exposure.services) {
    if (!service.targets.includes(aggregator)) continue;
    if (
      !service.ports.some(p =>
        fleet.has(targetPortOn(p, aggregator.workload) ?? -1),
      )
    )
      continue;
    for (const name of serviceDnsNames(service))
      add(name, `Service ${service.namespace}/${service.name}`, false);
  }
  return [...required.values()];
}

export const cert05SanCoverage: Rule = {
  id: 'CERT-05',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    for (const aggregator of federation.aggregators) {
      const resource = workloadRef(aggregator);
      const names = namesServedBy(aggregator);
      if (!names.ok) {
        findings.push(
          finding(
            names.status,
            resource,
            `Cannot check the aggregator certificate names: ${names.reason}.`,
          ),
        );
        continue;
      }
      if (names.dns.length === 0 && names.ip.length === 0) {
        findings.push(
          finding(
            'fail',
            resource,
            `The aggregator certificate (${names.from}) has no subjectAltName${
              names.commonName ? ` (CN=${names.commonName} only)` : ''
            }: TLS clients ignore the CN and reject it.`,
          ),
        );
        continue;
      }
      const required = requiredNames(federation, aggregator);
      const missing = required.filter(r =>
        isIP(r.name)
          ? !names.ip.includes(r.name)
          : !coveredBy(names.dns, r.name),
      );
      const hard = missing.filter(r => r.mustHave);
      const soft = missing.filter(r => !r.mustHave);
      const list = (items: typeof missing) =>
        items.map(r => `${r.name} (${r.why})`).join(', ');
      if (hard.length) {
        findings.push(
          finding(
            'fail',
            resource,
            `The aggregator certificate (${names.from}) does not cover ${list(
              hard,
            )}${soft.length ? `; also missing ${list(soft)}` : ''}.`,
          ),
        );
      } else if (soft.length) {
        findings.push(
          finding(
            'warn',
            resource,
            `The aggregator certificate (${
              names.from
            }) does not cover the Service name(s) ${list(
              soft,
            )}: clients dialling them would fail verification.`,
          ),
        );
      } else if (required.length === 0) {
        findings.push(
          finding(
            'pass',
            resource,
            `The aggregator certificate (${
              names.from
            }) has SANs (${names.dns.join(
              ', ',
            )}); no dialled name found to check.`,
          ),
        );
      } else {
        findings.push(
          finding(
            'pass',
            resource,
            `The aggregator certificate (${
              names.from
            }) covers every dialled name: ${required
              .map(r => r.name)
              .join(', ')}.`,
          ),
        );
      }
    }
    return findings;
  },
};
