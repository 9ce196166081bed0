/**
 * ING-04: the TLS Secret an Ingress (or terminating Gateway listener)
 * references exists, has type kubernetes.io/tls, its tls.crt parses and its
 * tls.key matches the leaf certificate. Offline, a Secret a cert-manager
 * Certificate will write is skipped (issued at deploy time).
 */
import { tlsMaterial } from '../model/certificates';
import type { ClusterIndex } from '../model/clusterIndex';
import { exposureOf, isPassthroughIngress } from '../model/exposure';
import { plannedFor } from '../model/planned';
import { finding, gapFinding, objectRef, ref, workloadRef } from './helpers';
import { exposureGaps, hasExposure, notExposed } from './ingressCommon';
import { ISSUED_AT_DEPLOY } from './servedCertificate';
import type { Finding, Rule } from './types';

export function checkTlsSecret(
  index: ClusterIndex,
  namespace: string,
  name: string,
  user: string,
): Finding {
  const resource = ref(index, 'Secret', namespace, name);
  const what = `Secret ${namespace}/${name} (used by ${user})`;
  const secret = index.get('Secret', namespace, name);
  if (!secret) {
    const gap = index.gapFor('Secret', namespace, name);
    if (gap) return gapFinding(gap, resource, what);
    const planned = plannedFor(index, namespace, name);
    if (index.offline && planned) {
      return finding(
        'skip',
        resource,
        `${what}: ${ISSUED_AT_DEPLOY} by ${planned.label}.`,
      );
    }
    if (index.offline) {
      return finding(
        'warn',
        resource,
        `${what} is not in the manifests and nothing in them issues it: it must be created out of band.`,
      );
    }
    return finding(
      'fail',
      resource,
      `${what} does not exist: the controller serves its default certificate.`,
    );
  }
  const material = tlsMaterial(secret);
  if (material.type !== 'kubernetes.io/tls') {
    return finding(
      'fail',
      resource,
      `${what} has type ${material.type ?? 'Opaque'}, not kubernetes.io/tls.`,
    );
  }
  if (material.chainError)
    return finding('error', resource, `${what}: ${material.chainError}.`);
  if (material.keyError) {
    return finding(
      material.keyError.includes('missing') ? 'fail' : 'error',
      resource,
      `${what}: ${material.keyError}.`,
    );
  }
  if (material.keyMatches === false) {
    return finding(
      'fail',
      resource,
      `${what}: tls.key does not belong to the tls.crt certificate.`,
    );
  }
  return finding(
    'pass',
    resource,
    `${what} is kubernetes.io/tls, parses (${material.chain.length} certificate(s)) and its key matches.`,
  );
}

export const ing04TlsSecret: Rule = {
  id: 'ING-04',
  evaluate({ federation }) {
    const findings: Finding[] = exposureGaps(federation);
    if (!hasExposure(federation))
      return [
        ...findings,
        ...notExposed(federation, 'no TLS Secret referenced'),
      ];
    const { ingresses, routes } = exposureOf(federation);
    let checked = 0;
    for (const ingress of ingresses) {
      if (isPassthroughIngress(ingress)) continue;
      const user = `Ingress ${ingress.namespace}/${ingress.name}`;
      for (const tls of ingress.tls) {
        checked++;
        if (!tls.secretName) {
          findings.push(
            finding(
              'fail',
              objectRef(ingress.index, ingress.object),
              `${user}: tls entry for ${
                tls.hosts.join(', ') || 'all hosts'
              } has no secretName (the controller's default certificate is served).`,
            ),
          );
        } else {
          findings.push(
            checkTlsSecret(
              ingress.index,
              ingress.namespace,
              tls.secretName,
              user,
            ),
          );
        }
      }
    }
    for (const route of routes) {
      for (const listener of route.listeners) {
        if (listener.tlsMode !== 'Terminate') continue;
        for (const certRef of listener.certificateRefs) {
          checked++;
          findings.push(
            checkTlsSecret(
              route.index,
              certRef.namespace,
              certRef.name,
              `Gateway ${listener.gateway.metadata.name} listener ${listener.name}`,
            ),
          );
        }
      }
    }
    if (checked === 0) {
      for (const member of federation.aggregators) {
        findings.push(
          finding(
            'skip',
            workloadRef(member),
            'The Ingresses and routes of the federation pass TLS through and reference no TLS Secret (the aggregator certificate is checked by the CERT rules).',
          ),
        );
      }
    }
    return findings;
  },
};
