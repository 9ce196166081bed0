/**
 * ING-02: every host of an Ingress or route is listed in tls.hosts and in the
 * DNS SANs of the certificate actually served for it: the Ingress Secret
 * when the ingress terminates, the aggregator's own certificate on
 * passthrough. Certificate names match as OpenSSL's X509_check_host
 * (x509/matchHost: one whole left-most wildcard label, never over a public
 * suffix); tls.hosts and listener hostnames as RFC 9525 patterns.
 */
import { coveredBy, isWildcard } from '../model/dnsNames';
import {
  ExposedIngress,
  ExposedRoute,
  isPassthroughIngress,
} from '../model/exposure';
import type { Federation } from '../model/federation';
import { Note, RuleContext, combine, defineRule, each } from '../ruleKit';
import { EXPOSURE_KINDS, notExposed, routeLabel } from './shared/exposure';
import {
  ServedNames,
  namesOfSecret,
  namesServedBy,
} from './shared/servedCertificate';
import { NAMED_ITEMS, someOf } from './shared/bounded';
import { ingresses, routes } from './shared/subjects';

type Check = Note;

function checkNames(
  hosts: string[],
  names: ServedNames,
  subject: string,
): Check[] {
  if (!names.ok)
    return [{ status: names.status, text: `${subject}: ${names.reason}` }];
  const missing = hosts.filter(h => !names.covers(h).matched);
  if (missing.length === 0)
    return [
      {
        status: 'pass',
        text: `${subject} (${names.from}) covers ${someOf(hosts)}`,
      },
    ];
  return [
    {
      status: 'fail',
      text: `${subject} (${names.from}) does not cover ${someOf(
        missing,
      )} (DNS SANs: ${someOf(names.dns) || 'none'})`,
    },
  ];
}

function aggregatorNames(federation: Federation): ServedNames {
  const aggregator = federation.aggregators[0];
  if (!aggregator)
    return {
      ok: false,
      status: 'error',
      reason: 'the federation has no aggregator',
    };
  return namesServedBy(aggregator);
}

function checkIngress(
  federation: Federation,
  ingress: ExposedIngress,
): Check[] {
  const hosts = ingress.hosts.filter(h => h && !isWildcard(h));
  if (hosts.length === 0)
    return [{ status: 'skip', text: 'no concrete host (see ING-03)' }];
  if (isPassthroughIngress(ingress)) {
    return checkNames(
      hosts,
      aggregatorNames(federation),
      'the aggregator certificate (ssl-passthrough)',
    );
  }
  const checks: Check[] = [];
  const uncovered = hosts.filter(
    h => !ingress.tls.some(t => coveredBy(t.hosts, h)),
  );
  if (uncovered.length)
    checks.push({
      status: 'fail',
      text: `tls.hosts does not list ${someOf(uncovered)}`,
    });
  for (const tls of ingress.tls) {
    const tlsHosts = hosts.filter(h => coveredBy(tls.hosts, h));
    if (tlsHosts.length === 0) continue;
    if (!tls.secretName) {
      checks.push({
        status: 'fail',
        text: `tls entry for ${someOf(
          tlsHosts,
        )} has no secretName (the controller's default certificate is served)`,
      });
      continue;
    }
    checks.push(
      ...checkNames(
        tlsHosts,
        namesOfSecret(ingress.index, ingress.namespace, tls.secretName),
        `Secret ${ingress.namespace}/${tls.secretName}`,
      ),
    );
  }
  return checks;
}

/** The notes of one route: listener hostnames, then the certificate each listener serves. */
function checkRouteHosts(
  federation: Federation,
  route: ExposedRoute,
  hosts: string[],
): Check[] {
  const passthrough = () =>
    checkNames(
      hosts,
      aggregatorNames(federation),
      'the aggregator certificate (TLS passthrough)',
    );
  const checks: Check[] = [];
  for (const listener of route.listeners) {
    if (
      listener.hostname &&
      !hosts.every(h => coveredBy([listener.hostname!], h))
    ) {
      checks.push({
        status: 'fail',
        text: `listener ${listener.name} hostname ${
          listener.hostname
        } does not cover ${someOf(hosts)}`,
      });
    }
    if (listener.tlsMode === 'Passthrough') checks.push(...passthrough());
    else if (listener.tlsMode === 'Terminate') {
      for (const ref of listener.certificateRefs) {
        checks.push(
          ...checkNames(
            hosts,
            namesOfSecret(route.index, ref.namespace, ref.name),
            `Secret ${ref.namespace}/${ref.name}`,
          ),
        );
      }
    }
  }
  if (route.listeners.length === 0 && route.kind === 'TLSRoute')
    checks.push(...passthrough());
  return checks;
}

function checkRoute(route: ExposedRoute, { federation }: RuleContext): Check[] {
  const hosts = route.hostnames.filter(h => !isWildcard(h));
  if (hosts.length === 0)
    return [{ status: 'skip', text: 'no concrete hostname (see ING-03)' }];
  return checkRouteHosts(federation, route, hosts);
}

/** One verdict from the notes of a subject; none when there was nothing to check. */
function report<S>(
  label: (subject: S) => string,
  notes: (subject: S, context: RuleContext) => Check[],
) {
  return (subject: S, context: RuleContext) => {
    const checks = notes(subject, context);
    return checks.length === 0
      ? []
      : combine(
          checks,
          texts => `${label(subject)}: ${someOf(texts, NAMED_ITEMS, '; ')}.`,
        );
  };
}

export const ing02HostCoverage = defineRule({
  id: 'ING-02',
  reads: EXPOSURE_KINDS,
  checks: [
    each(
      ingresses,
      report(
        i => `Ingress ${i.namespace}/${i.name}`,
        (ingress, { federation }) => checkIngress(federation, ingress),
      ),
    ),
    each(routes, report(routeLabel, checkRoute)),
  ],
  otherwise: notExposed('no host to check'),
});
