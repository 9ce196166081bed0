/**
 * ING-01: every Ingress and Gateway route of the federation carries TLS:
 * an Ingress with a tls section or ssl-passthrough, a TLSRoute (TLS
 * listener), HTTP/GRPC routes only on HTTPS listeners.
 */
import { exposureOf, isPassthroughIngress } from '../model/exposure';
import { finding, objectRef } from './helpers';
import {
  exposureGaps,
  hasExposure,
  missingGatewayStatus,
  notExposed,
  routeLabel,
} from './ingressCommon';
import type { Finding, Rule } from './types';

export const ing01Tls: Rule = {
  id: 'ING-01',
  evaluate({ federation }) {
    const findings: Finding[] = exposureGaps(federation);
    if (!hasExposure(federation))
      return [...findings, ...notExposed(federation, 'nothing to check')];
    const { ingresses, routes } = exposureOf(federation);
    for (const ingress of ingresses) {
      const resource = objectRef(ingress.index, ingress.object);
      const label = `Ingress ${ingress.namespace}/${ingress.name}`;
      if (isPassthroughIngress(ingress)) {
        findings.push(
          finding(
            'pass',
            resource,
            `${label} passes TLS through to the backend (ssl-passthrough).`,
          ),
        );
      } else if (ingress.tls.length > 0) {
        findings.push(finding('pass', resource, `${label} has a tls section.`));
      } else {
        findings.push(
          finding(
            'fail',
            resource,
            `${label} has no tls section: FL traffic crosses it in clear text.`,
          ),
        );
      }
    }
    for (const route of routes) {
      const resource = objectRef(route.index, route.object);
      const label = routeLabel(route);
      if (route.listeners.length === 0) {
        const missing = route.missingGateways.join(', ') || 'none';
        findings.push(
          finding(
            missingGatewayStatus(route.index),
            resource,
            `${label}: parent Gateway(s) not in the snapshot (${missing}); listener protocols cannot be checked.`,
          ),
        );
        continue;
      }
      const plain = route.listeners.filter(
        l =>
          l.protocol === 'HTTP' ||
          (route.kind === 'TCPRoute' && l.protocol === 'TCP'),
      );
      if (route.kind === 'TCPRoute') {
        findings.push(
          finding(
            'warn',
            resource,
            `${label} forwards raw TCP: TLS depends on the aggregator itself (see FL-01).`,
          ),
        );
      } else if (plain.length > 0) {
        findings.push(
          finding(
            'fail',
            resource,
            `${label} is attached to plain HTTP listener(s): ${plain
              .map(l => l.name)
              .join(', ')}.`,
          ),
        );
      } else {
        findings.push(
          finding(
            'pass',
            resource,
            `${label} is served on TLS listener(s): ${route.listeners
              .map(l => `${l.name} (${l.protocol})`)
              .join(', ')}.`,
          ),
        );
      }
    }
    return findings;
  },
};
