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
import {
  RuleContext,
  defineRule,
  each,
  fail,
  pass,
  verdict,
  warn,
} from '../ruleKit';
import { aggregatorPorts } from './shared/reachability';
import { namesServedBy } from './shared/servedCertificate';
import { aggregators } from './shared/subjects';

interface Required {
  name: string;
  why: string;
  mustHave: boolean;
}

/** Hosts outside the cluster that reach the aggregator without terminating TLS. */
function externalHosts(federation: Federation): Set<string> {
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

/** The --superlink hosts participants dial to reach this aggregator. */
function dialledHosts(
  federation: Federation,
  aggregator: Member,
  external: ReadonlySet<string>,
): Array<{ host: string; by: string }> {
  const out: Array<{ host: string; by: string }> = [];
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
          host,
          by: `${participant.workload.namespace}/${participant.workload.name}`,
        });
    }
  }
  return out;
}

function requiredNames(federation: Federation, aggregator: Member): Required[] {
  const required = new Map<string, Required>();
  const add = (name: string, why: string, mustHave: boolean) => {
    const key = name.toLowerCase().replace(/\.$/, '');
    const existing = required.get(key);
    if (!existing || (mustHave && !existing.mustHave))
      required.set(key, { name: key, why, mustHave });
  };
  const external = externalHosts(federation);
  external.forEach(host => add(host, 'external host (passthrough)', true));
  for (const { host, by } of dialledHosts(federation, aggregator, external))
    add(host, `dialled by ${by}`, true);
  const fleet = new Set(aggregatorPorts(aggregator));
  for (const service of exposureOf(federation).services) {
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

function checkAggregator(aggregator: Member, { federation }: RuleContext) {
  const names = namesServedBy(aggregator);
  if (!names.ok)
    return verdict(
      names.status,
      `Cannot check the aggregator certificate names: ${names.reason}.`,
    );
  const certificate = `The aggregator certificate (${names.from})`;
  if (names.dns.length === 0 && names.ip.length === 0)
    return fail(
      `${certificate} has no subjectAltName${
        names.commonName ? ` (CN=${names.commonName} only)` : ''
      }: TLS clients ignore the CN and reject it.`,
    );
  const required = requiredNames(federation, aggregator);
  const missing = required.filter(r =>
    isIP(r.name) ? !names.ip.includes(r.name) : !coveredBy(names.dns, r.name),
  );
  const hard = missing.filter(r => r.mustHave);
  const soft = missing.filter(r => !r.mustHave);
  const list = (items: Required[]) =>
    items.map(r => `${r.name} (${r.why})`).join(', ');
  if (hard.length)
    return fail(
      `${certificate} does not cover ${list(hard)}${
        soft.length ? `; also missing ${list(soft)}` : ''
      }.`,
    );
  if (soft.length)
    return warn(
      `${certificate} does not cover the Service name(s) ${list(
        soft,
      )}: clients dialling them would fail verification.`,
    );
  if (required.length === 0)
    return pass(
      `${certificate} has SANs (${names.dns.join(
        ', ',
      )}); no dialled name found to check.`,
    );
  return pass(
    `${certificate} covers every dialled name: ${required
      .map(r => r.name)
      .join(', ')}.`,
  );
}

export const cert05SanCoverage = defineRule({
  id: 'CERT-05',
  checks: [each(aggregators, checkAggregator)],
});
