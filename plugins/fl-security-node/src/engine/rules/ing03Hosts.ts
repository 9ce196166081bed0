/** ING-03: no Ingress rule or route without a host, and no wildcard host. */
import { isWildcard } from '../model/dnsNames';
import type { ExposedIngress, ExposedRoute } from '../model/exposure';
import { defineRule, each, fail, pass } from '../ruleKit';
import { someOf } from './shared/bounded';
import { EXPOSURE_KINDS, notExposed, routeLabel } from './shared/exposure';
import { ingresses, routes } from './shared/subjects';

function checkIngress(ingress: ExposedIngress) {
  const label = `Ingress ${ingress.namespace}/${ingress.name}`;
  const problems: string[] = [];
  if (ingress.hosts.includes(''))
    problems.push(
      'a rule or default backend without host accepts any Host header',
    );
  const wildcards = ingress.hosts.filter(isWildcard);
  if (wildcards.length) problems.push(`wildcard host(s) ${someOf(wildcards)}`);
  return problems.length
    ? fail(`${label}: ${problems.join('; ')}.`)
    : pass(`${label} routes only explicit hosts: ${someOf(ingress.hosts)}.`);
}

function checkRoute(route: ExposedRoute) {
  const label = routeLabel(route);
  const wildcards = route.hostnames.filter(isWildcard);
  if (route.hostnames.length === 0)
    return fail(
      `${label} has no hostnames: it matches any host of its listeners.`,
    );
  if (wildcards.length)
    return fail(`${label} has wildcard hostname(s) ${someOf(wildcards)}.`);
  return pass(
    `${label} routes only explicit hostnames: ${someOf(route.hostnames)}.`,
  );
}

export const ing03Hosts = defineRule({
  id: 'ING-03',
  reads: EXPOSURE_KINDS,
  checks: [each(ingresses, checkIngress), each(routes, checkRoute)],
  otherwise: notExposed('no host to check'),
});
