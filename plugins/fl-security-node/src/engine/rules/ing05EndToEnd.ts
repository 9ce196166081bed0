/**
 * ING-05: TLS must end inside the aggregator pod. Passthrough (ingress-nginx
 * ssl-passthrough, TLSRoute on a Passthrough listener) passes; re-encryption
 * (backend-protocol GRPCS/HTTPS, BackendTLSPolicy) warns; termination into
 * plain text fails.
 */
import { records, str, record } from '../model/objects';
import type { ClusterIndex } from '../model/clusterIndex';
import {
  backendProtocol,
  exposureOf,
  isPassthroughIngress,
} from '../model/exposure';
import { argvOf } from '../model/flower';
import { finding, objectRef } from './helpers';
import {
  exposureGaps,
  hasExposure,
  missingGatewayStatus,
  notExposed,
  routeLabel,
} from './ingressCommon';
import type { Finding, Rule } from './types';

/** ingress-nginx controllers in the snapshot and whether they enable passthrough. */
function nginxControllers(
  index: ClusterIndex,
): Array<{ name: string; passthrough: boolean }> {
  return index.workloads.flatMap(w =>
    w.containers
      .filter(
        c =>
          /ingress-nginx\/controller/.test(c.image) ||
          argvOf(c).some(a => a.endsWith('/nginx-ingress-controller')),
      )
      .map(c => ({
        name: `${w.namespace}/${w.name}`,
        passthrough: argvOf(c).some(
          a =>
            a === '--enable-ssl-passthrough' ||
            a === '--enable-ssl-passthrough=true',
        ),
      })),
  );
}

function backendTlsPolicyFor(
  index: ClusterIndex,
  namespace: string,
  service: string,
): boolean {
  return index.ofKind('BackendTLSPolicy').some(policy => {
    if ((policy.metadata.namespace ?? 'default') !== namespace) return false;
    const spec = record(policy.spec);
    return records(
      spec.targetRefs ?? (spec.targetRef ? [spec.targetRef] : []),
    ).some(
      t => (str(t.kind) ?? 'Service') === 'Service' && str(t.name) === service,
    );
  });
}

export const ing05EndToEnd: Rule = {
  id: 'ING-05',
  evaluate({ federation }) {
    const findings: Finding[] = exposureGaps(federation);
    if (!hasExposure(federation)) {
      return [
        ...findings,
        ...notExposed(
          federation,
          'participants connect to the aggregator Service, TLS ends in the pod (see FL-01)',
        ),
      ];
    }
    const { ingresses, routes } = exposureOf(federation);
    for (const ingress of ingresses) {
      const resource = objectRef(ingress.index, ingress.object);
      const label = `Ingress ${ingress.namespace}/${ingress.name}`;
      if (isPassthroughIngress(ingress)) {
        const withoutFlag = nginxControllers(ingress.index).filter(
          c => !c.passthrough,
        );
        findings.push(
          withoutFlag.length
            ? finding(
                'warn',
                resource,
                `${label} asks for ssl-passthrough but the ingress-nginx controller(s) ${withoutFlag
                  .map(c => c.name)
                  .join(
                    ', ',
                  )} run without --enable-ssl-passthrough: the annotation is ignored and TLS is terminated.`,
                'Start the ingress-nginx controller with --enable-ssl-passthrough.',
              )
            : finding(
                'pass',
                resource,
                `${label} passes TLS through (ssl-passthrough): TLS ends in the aggregator pod.`,
              ),
        );
        continue;
      }
      const protocol = backendProtocol(ingress);
      if (protocol === 'GRPCS' || protocol === 'HTTPS') {
        findings.push(
          finding(
            'warn',
            resource,
            `${label} terminates TLS and re-encrypts to the backend (backend-protocol ${protocol}); ingress-nginx does not verify the backend certificate, and the ingress sees the traffic in clear.`,
          ),
        );
      } else if (ingress.tls.length === 0) {
        findings.push(
          finding(
            'fail',
            resource,
            `${label} forwards FL traffic without TLS (no tls section, backend-protocol ${
              protocol ?? 'HTTP'
            }).`,
          ),
        );
      } else {
        findings.push(
          finding(
            'fail',
            resource,
            `${label} terminates TLS and forwards plain text to the aggregator (backend-protocol ${
              protocol ?? 'HTTP'
            }): TLS is not end to end.`,
          ),
        );
      }
    }
    for (const route of routes) {
      const resource = objectRef(route.index, route.object);
      const label = routeLabel(route);
      if (route.listeners.length === 0) {
        findings.push(
          finding(
            missingGatewayStatus(route.index),
            resource,
            `${label}: parent Gateway(s) ${
              route.missingGateways.join(', ') || 'none'
            } not in the snapshot; TLS mode cannot be checked.`,
          ),
        );
        continue;
      }
      const modes = new Set(
        route.listeners.map(
          l => l.tlsMode ?? (l.protocol === 'TCP' ? 'TCP' : 'none'),
        ),
      );
      if (route.kind === 'TLSRoute' || route.kind === 'TCPRoute') {
        if ([...modes].every(m => m === 'Passthrough' || m === 'TCP')) {
          findings.push(
            finding(
              'pass',
              resource,
              `${label} forwards the TLS stream untouched: TLS ends in the aggregator pod.`,
            ),
          );
        } else {
          findings.push(
            finding(
              'fail',
              resource,
              `${label} is attached to listener(s) that terminate TLS (${[
                ...modes,
              ].join(', ')}): the aggregator receives plain text.`,
            ),
          );
        }
        continue;
      }
      const reencrypted = route.services.every(s =>
        backendTlsPolicyFor(route.index, s.namespace, s.name),
      );
      findings.push(
        reencrypted && route.services.length > 0
          ? finding(
              'warn',
              resource,
              `${label} terminates TLS at the Gateway and re-encrypts to the aggregator (BackendTLSPolicy): the Gateway sees the traffic in clear.`,
            )
          : finding(
              'fail',
              resource,
              `${label} terminates TLS at the Gateway and forwards plain text to the aggregator: TLS is not end to end.`,
            ),
      );
    }
    return findings;
  },
};
