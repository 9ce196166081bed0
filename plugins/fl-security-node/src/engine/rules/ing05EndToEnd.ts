/**
 * ING-05: TLS must end inside the aggregator pod. Passthrough (ingress-nginx
 * ssl-passthrough, TLSRoute on a Passthrough listener) passes; re-encryption
 * (backend-protocol GRPCS/HTTPS, BackendTLSPolicy) warns; termination into
 * plain text fails.
 */
import { records, str, record } from '../model/objects';
import type { ClusterIndex } from '../model/clusterIndex';
import {
  ExposedIngress,
  ExposedRoute,
  backendProtocol,
  isPassthroughIngress,
} from '../model/exposure';
import { argvOf } from '../model/flower';
import { defineRule, each, fail, pass, verdict, warn } from '../ruleKit';
import {
  EXPOSURE_KINDS,
  missingGatewayStatus,
  notExposed,
  routeLabel,
} from './shared/exposure';
import { ingresses, routes } from './shared/subjects';

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

function checkPassthrough(ingress: ExposedIngress, label: string) {
  const withoutFlag = nginxControllers(ingress.index).filter(
    c => !c.passthrough,
  );
  if (withoutFlag.length === 0)
    return pass(
      `${label} passes TLS through (ssl-passthrough): TLS ends in the aggregator pod.`,
    );
  return warn(
    `${label} asks for ssl-passthrough but the ingress-nginx controller(s) ${withoutFlag
      .map(c => c.name)
      .join(
        ', ',
      )} run without --enable-ssl-passthrough: the annotation is ignored and TLS is terminated.`,
    'Start the ingress-nginx controller with --enable-ssl-passthrough.',
  );
}

function checkIngress(ingress: ExposedIngress) {
  const label = `Ingress ${ingress.namespace}/${ingress.name}`;
  if (isPassthroughIngress(ingress)) return checkPassthrough(ingress, label);
  const protocol = backendProtocol(ingress);
  if (protocol === 'GRPCS' || protocol === 'HTTPS')
    return warn(
      `${label} terminates TLS and re-encrypts to the backend (backend-protocol ${protocol}); ingress-nginx does not verify the backend certificate, and the ingress sees the traffic in clear.`,
    );
  if (ingress.tls.length === 0)
    return fail(
      `${label} forwards FL traffic without TLS (no tls section, backend-protocol ${
        protocol ?? 'HTTP'
      }).`,
    );
  return fail(
    `${label} terminates TLS and forwards plain text to the aggregator (backend-protocol ${
      protocol ?? 'HTTP'
    }): TLS is not end to end.`,
  );
}

function checkRoute(route: ExposedRoute) {
  const label = routeLabel(route);
  if (route.listeners.length === 0)
    return verdict(
      missingGatewayStatus(route.index),
      `${label}: parent Gateway(s) ${
        route.missingGateways.join(', ') || 'none'
      } not in the snapshot; TLS mode cannot be checked.`,
    );
  if (route.kind === 'TLSRoute' || route.kind === 'TCPRoute') {
    const modes = new Set(
      route.listeners.map(
        l => l.tlsMode ?? (l.protocol === 'TCP' ? 'TCP' : 'none'),
      ),
    );
    return [...modes].every(m => m === 'Passthrough' || m === 'TCP')
      ? pass(
          `${label} forwards the TLS stream untouched: TLS ends in the aggregator pod.`,
        )
      : fail(
          `${label} is attached to listener(s) that terminate TLS (${[
            ...modes,
          ].join(', ')}): the aggregator receives plain text.`,
        );
  }
  const reencrypted = route.services.every(s =>
    backendTlsPolicyFor(route.index, s.namespace, s.name),
  );
  return reencrypted && route.services.length > 0
    ? warn(
        `${label} terminates TLS at the Gateway and re-encrypts to the aggregator (BackendTLSPolicy): the Gateway sees the traffic in clear.`,
      )
    : fail(
        `${label} terminates TLS at the Gateway and forwards plain text to the aggregator: TLS is not end to end.`,
      );
}

export const ing05EndToEnd = defineRule({
  id: 'ING-05',
  reads: EXPOSURE_KINDS,
  checks: [each(ingresses, checkIngress), each(routes, checkRoute)],
  otherwise: notExposed(
    'participants connect to the aggregator Service, TLS ends in the pod (see FL-01)',
  ),
});
