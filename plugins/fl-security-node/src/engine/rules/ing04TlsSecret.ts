/**
 * ING-04: the TLS Secret an Ingress (or terminating Gateway listener)
 * references exists, has type kubernetes.io/tls, its tls.crt parses and its
 * tls.key matches the leaf certificate. Offline, a Secret a cert-manager
 * Certificate will write is skipped (issued at deploy time).
 */
import type { ResourceRef } from '@fl-security/plugin-fl-security-common';
import { tlsMaterial } from '../model/certificates';
import type { ClusterIndex } from '../model/clusterIndex';
import { exposureOf, isPassthroughIngress } from '../model/exposure';
import type { Federation } from '../model/federation';
import { plannedFor } from '../model/planned';
import {
  Subjects,
  Verdict,
  defineRule,
  each,
  error,
  fail,
  gapVerdict,
  objectRef,
  pass,
  ref,
  skip,
  verdict,
  warn,
} from '../ruleKit';
import { EXPOSURE_KINDS, notExposed } from './shared/exposure';
import { ISSUED_AT_DEPLOY } from './shared/servedCertificate';
import { aggregators } from './shared/subjects';

/** A TLS Secret reference of an Ingress tls entry or a terminating listener. */
interface SecretReference {
  index: ClusterIndex;
  namespace: string;
  /** Absent when the tls entry names no Secret. */
  name?: string;
  user: string;
  /** The referring object (reported on when no Secret is named). */
  owner: ResourceRef;
  hosts: readonly string[];
}

function referencesOf(federation: Federation): SecretReference[] {
  const { ingresses, routes } = exposureOf(federation);
  const out: SecretReference[] = [];
  for (const ingress of ingresses) {
    if (isPassthroughIngress(ingress)) continue;
    for (const tls of ingress.tls) {
      out.push({
        index: ingress.index,
        namespace: ingress.namespace,
        name: tls.secretName,
        user: `Ingress ${ingress.namespace}/${ingress.name}`,
        owner: objectRef(ingress.index, ingress.object),
        hosts: tls.hosts,
      });
    }
  }
  for (const route of routes) {
    for (const listener of route.listeners) {
      if (listener.tlsMode !== 'Terminate') continue;
      for (const certRef of listener.certificateRefs) {
        out.push({
          index: route.index,
          namespace: certRef.namespace,
          name: certRef.name,
          user: `Gateway ${listener.gateway.metadata.name} listener ${listener.name}`,
          owner: objectRef(route.index, route.object),
          hosts: [],
        });
      }
    }
  }
  return out;
}

const secretReferences: Subjects<SecretReference> = {
  name: 'TLS Secret references of Ingresses and Gateway listeners',
  list: referencesOf,
  resource: r =>
    r.name ? ref(r.index, 'Secret', r.namespace, r.name) : r.owner,
};

/** Why a referenced Secret is not in the snapshot, and what that means. */
function absent(
  index: ClusterIndex,
  namespace: string,
  name: string,
  what: string,
): Verdict {
  const gap = index.gapFor('Secret', namespace, name);
  if (gap) return gapVerdict(gap, what);
  const planned = plannedFor(index, namespace, name);
  if (index.offline && planned)
    return skip(`${what}: ${ISSUED_AT_DEPLOY} by ${planned.label}.`);
  if (index.offline)
    return warn(
      `${what} is not in the manifests and nothing in them issues it: it must be created out of band.`,
    );
  return fail(
    `${what} does not exist: the controller serves its default certificate.`,
  );
}

function checkReference({
  index,
  namespace,
  name,
  user,
  hosts,
}: SecretReference) {
  if (!name)
    return fail(
      `${user}: tls entry for ${
        hosts.join(', ') || 'all hosts'
      } has no secretName (the controller's default certificate is served).`,
    );
  const what = `Secret ${namespace}/${name} (used by ${user})`;
  const secret = index.get('Secret', namespace, name);
  if (!secret) return absent(index, namespace, name, what);
  const material = tlsMaterial(secret);
  if (material.type !== 'kubernetes.io/tls')
    return fail(
      `${what} has type ${material.type ?? 'Opaque'}, not kubernetes.io/tls.`,
    );
  if (material.chainError) return error(`${what}: ${material.chainError}.`);
  if (material.keyError)
    return verdict(
      material.keyError.includes('missing') ? 'fail' : 'error',
      `${what}: ${material.keyError}.`,
    );
  if (material.keyMatches === false)
    return fail(`${what}: tls.key does not belong to the tls.crt certificate.`);
  return pass(
    `${what} is kubernetes.io/tls, parses (${material.chain.length} certificate(s)) and its key matches.`,
  );
}

const NOT_EXPOSED = notExposed('no TLS Secret referenced');

export const ing04TlsSecret = defineRule({
  id: 'ING-04',
  reads: EXPOSURE_KINDS,
  checks: [each(secretReferences, checkReference)],
  otherwise: each(aggregators, (member, context) => {
    const { ingresses, routes } = exposureOf(context.federation);
    return ingresses.length + routes.length === 0
      ? NOT_EXPOSED.check(member, context)
      : skip(
          'The Ingresses and routes of the federation pass TLS through and reference no TLS Secret (the aggregator certificate is checked by the CERT rules).',
        );
  }),
});
