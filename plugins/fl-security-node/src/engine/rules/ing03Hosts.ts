/** ING-03: no Ingress rule or route without a host, and no wildcard host. */
import { isWildcard } from '../model/dnsNames';
import { exposureOf } from '../model/exposure';
import { finding, objectRef } from './helpers';
import {
  exposureGaps,
  hasExposure,
  notExposed,
  routeLabel,
} from './ingressCommon';
import type { Finding, Rule } from './types';

export const ing03Hosts: Rule = {
  id: 'ING-03',
  evaluate({ federation }) {
    const findings: Finding[] = exposureGaps(federation);
    if (!hasExposure(federation))
      return [...findings, ...notExposed(federation, 'no host to check')];
    const { ingresses, routes } = exposureOf(federation);
    for (const ingress of ingresses) {
      const label = `Ingress ${ingress.namespace}/${ingress.name}`;
      const problems: string[] = [];
      if (ingress.hosts.includes(''))
        problems.push(
          'a rule or default backend without host accepts any Host header',
        );
      const wildcards = ingress.hosts.filter(isWildcard);
      if (wildcards.length)
        problems.push(`wildcard host(s) ${wildcards.join(', ')}`);
      findings.push(
        problems.length
          ? finding(
              'fail',
              objectRef(ingress.index, ingress.object),
              `${label}: ${problems.join('; ')}.`,
            )
          : finding(
              'pass',
              objectRef(ingress.index, ingress.object),
              `${label} routes only explicit hosts: ${ingress.hosts.join(
                ', ',
              )}.`,
            ),
      );
    }
    for (const route of routes) {
      const label = routeLabel(route);
      const resource = objectRef(route.index, route.object);
      const wildcards = route.hostnames.filter(isWildcard);
      if (route.hostnames.length === 0) {
        findings.push(
          finding(
            'fail',
            resource,
            `${label} has no hostnames: it matches any host of its listeners.`,
          ),
        );
      } else if (wildcards.length) {
        findings.push(
          finding(
            'fail',
            resource,
            `${label} has wildcard hostname(s) ${wildcards.join(', ')}.`,
          ),
        );
      } else {
        findings.push(
          finding(
            'pass',
            resource,
            `${label} routes only explicit hostnames: ${route.hostnames.join(
              ', ',
            )}.`,
          ),
        );
      }
    }
    return findings;
  },
};
