/**
 * ING-01: every Ingress and Gateway route of the federation carries TLS:
 * an Ingress with a tls section or ssl-passthrough, a TLSRoute (TLS
 * listener), HTTP/GRPC routes only on HTTPS listeners.
 */
import {
  ExposedIngress,
  ExposedRoute,
  isPassthroughIngress,
} from '../model/exposure';
import { defineRule, each, fail, pass, verdict, warn } from '../ruleKit';
import {
  EXPOSURE_KINDS,
  missingGatewayStatus,
  notExposed,
  routeLabel,
} from './shared/exposure';
import { ingresses, routes } from './shared/subjects';

function checkIngress(ingress: ExposedIngress) {
  const label = `Ingress ${ingress.namespace}/${ingress.name}`;
  if (isPassthroughIngress(ingress))
    return pass(
      `${label} passes TLS through to the backend (ssl-passthrough).`,
    );
  if (ingress.tls.length > 0) return pass(`${label} has a tls section.`);
  return fail(
    `${label} has no tls section: FL traffic crosses it in clear text.`,
  );
}

function checkRoute(route: ExposedRoute) {
  const label = routeLabel(route);
  if (route.listeners.length === 0) {
    const missing = route.missingGateways.join(', ') || 'none';
    return verdict(
      missingGatewayStatus(route.index),
      `${label}: parent Gateway(s) not in the snapshot (${missing}); listener protocols cannot be checked.`,
    );
  }
  if (route.kind === 'TCPRoute')
    return warn(
      `${label} forwards raw TCP: TLS depends on the aggregator itself (see FL-01).`,
    );
  const plain = route.listeners.filter(l => l.protocol === 'HTTP');
  if (plain.length > 0)
    return fail(
      `${label} is attached to plain HTTP listener(s): ${plain
        .map(l => l.name)
        .join(', ')}.`,
    );
  return pass(
    `${label} is served on TLS listener(s): ${route.listeners
      .map(l => `${l.name} (${l.protocol})`)
      .join(', ')}.`,
  );
}

export const ing01Tls = defineRule({
  id: 'ING-01',
  reads: EXPOSURE_KINDS,
  checks: [each(ingresses, checkIngress), each(routes, checkRoute)],
  otherwise: notExposed('nothing to check'),
});
