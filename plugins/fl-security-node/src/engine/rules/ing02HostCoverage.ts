/**
 * ING-02: every host of an Ingress or route is listed in tls.hosts and in the
 * DNS SANs of the certificate actually served for it: the Ingress Secret
 * when the ingress terminates, the aggregator's own certificate on
 * passthrough. Wildcards follow RFC 9525 (one left-most label).
 */
import { coveredBy, isWildcard } from '../model/dnsNames';
import {
  ExposedIngress,
  exposureOf,
  isPassthroughIngress,
} from '../model/exposure';
import type { Federation } from '../model/federation';
import { finding, objectRef, worst } from './helpers';
import {
  exposureGaps,
  hasExposure,
  notExposed,
  routeLabel,
} from './ingressCommon';
import { ServedNames, namesOfSecret, namesServedBy } from './servedCertificate';
import type { Finding, Rule } from './types';
import type { CheckStatus } from '@fl-security/plugin-fl-security-common';

interface Check {
  status: CheckStatus;
  text: string;
}

function checkNames(
  hosts: string[],
  names: ServedNames,
  subject: string,
): Check[] {
  if (!names.ok)
    return [{ status: names.status, text: `${subject}: ${names.reason}` }];
  const missing = hosts.filter(h => !coveredBy(names.dns, h));
  if (missing.length === 0)
    return [
      {
        status: 'pass',
        text: `${subject} (${names.from}) covers ${hosts.join(', ')}`,
      },
    ];
  return [
    {
      status: 'fail',
      text: `${subject} (${names.from}) does not cover ${missing.join(
        ', ',
      )} (DNS SANs: ${names.dns.join(', ') || 'none'})`,
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
      text: `tls.hosts does not list ${uncovered.join(', ')}`,
    });
  for (const tls of ingress.tls) {
    const tlsHosts = hosts.filter(h => coveredBy(tls.hosts, h));
    if (tlsHosts.length === 0) continue;
    if (!tls.secretName) {
      checks.push({
        status: 'fail',
        text: `tls entry for ${tlsHosts.join(
          ', ',
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

export const ing02HostCoverage: Rule = {
  id: 'ING-02',
  evaluate({ federation }) {
    const findings: Finding[] = exposureGaps(federation);
    if (!hasExposure(federation))
      return [...findings, ...notExposed(federation, 'no host to check')];
    const { ingresses, routes } = exposureOf(federation);
    const emit = (
      resource: Finding['resource'],
      label: string,
      checks: Check[],
    ) => {
      if (checks.length === 0) return;
      const status = checks.map(c => c.status).reduce(worst);
      const shown =
        status === 'pass' ? checks : checks.filter(c => c.status !== 'pass');
      findings.push(
        finding(
          status,
          resource,
          `${label}: ${shown.map(c => c.text).join('; ')}.`,
        ),
      );
    };
    for (const ingress of ingresses) {
      emit(
        objectRef(ingress.index, ingress.object),
        `Ingress ${ingress.namespace}/${ingress.name}`,
        checkIngress(federation, ingress),
      );
    }
    for (const route of routes) {
      const hosts = route.hostnames.filter(h => !isWildcard(h));
      const label = routeLabel(route);
      const resource = objectRef(route.index, route.object);
      if (hosts.length === 0) {
        emit(resource, label, [
          { status: 'skip', text: 'no concrete hostname (see ING-03)' },
        ]);
        continue;
      }
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
            } does not cover ${hosts.join(', ')}`,
          });
        }
        if (listener.tlsMode === 'Passthrough') {
          checks.push(
            ...checkNames(
              hosts,
              aggregatorNames(federation),
              'the aggregator certificate (TLS passthrough)',
            ),
          );
        } else if (listener.tlsMode === 'Terminate') {
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
      if (route.listeners.length === 0 && route.kind === 'TLSRoute') {
        checks.push(
          ...checkNames(
            hosts,
            aggregatorNames(federation),
            'the aggregator certificate (TLS passthrough)',
          ),
        );
      }
      emit(resource, label, checks);
    }
    return findings;
  },
};
