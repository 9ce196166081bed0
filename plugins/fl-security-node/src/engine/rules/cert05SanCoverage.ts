/**
 * CERT-05: the aggregator's certificate names every host clients dial:
 * the participants' --superlink hosts and the external hosts of passthrough
 * Ingresses/TLSRoutes (fail when missing), and the `<svc>.<ns>.svc` and
 * `.svc.cluster.local` names of Services exposing its FL port (warn when
 * missing). A certificate with no SAN (CN only) fails: clients ignore the CN.
 * Names match as OpenSSL's X509_check_host (IPs as bytes, v4 and v6).
 */
import { exposureOf } from '../model/exposure';
import type { Federation, Member } from '../model/federation';
import { serviceDnsNames, targetPortOn } from '../model/services';
import { ipBytes, ipText } from '../x509';
import {
  RuleContext,
  defineRule,
  each,
  fail,
  pass,
  verdict,
  warn,
} from '../ruleKit';
import { someOf } from './shared/bounded';
import { dialsOf, externalHosts } from './shared/dialling';
import { aggregatorPorts } from './shared/reachability';
import { namesServedBy } from './shared/servedCertificate';
import { aggregators } from './shared/subjects';

interface Required {
  name: string;
  why: string;
  mustHave: boolean;
}

function requiredNames(federation: Federation, aggregator: Member): Required[] {
  const required = new Map<string, Required>();
  const add = (name: string, why: string, mustHave: boolean) => {
    const ip = ipBytes(name);
    // One entry per address however it is spelled (2001:DB8:0:0:0:0:0:10 is 2001:db8::10).
    const key = ip ? ipText(ip) : name.toLowerCase().replace(/\.$/, '');
    const existing = required.get(key);
    if (!existing || (mustHave && !existing.mustHave))
      required.set(key, { name: key, why, mustHave });
  };
  const external = externalHosts(federation);
  external.forEach(host => add(host, 'external host (passthrough)', true));
  for (const { host, by } of dialsOf(federation, aggregator, external))
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
  const missing = required.filter(r => !names.covers(r.name).matched);
  const hard = missing.filter(r => r.mustHave);
  const soft = missing.filter(r => !r.mustHave);
  const list = (items: Required[]) =>
    someOf(items.map(r => `${r.name} (${r.why})`));
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
      `${certificate} has SANs (${someOf([
        ...names.dns,
        ...names.ip,
      ])}); no dialled name found to check.`,
    );
  return pass(
    `${certificate} covers every dialled name: ${someOf(
      required.map(r => r.name),
      10,
    )}.`,
  );
}

export const cert05SanCoverage = defineRule({
  id: 'CERT-05',
  checks: [each(aggregators, checkAggregator)],
});
