/**
 * The subjects rules run on. Each lists its subjects in a federation (in a
 * stable order), names the resource results are reported on and where the
 * subject lives (for the missing-data guard).
 */
import type { Subjects } from '../../ruleKit';
import { namespaceRef, objectRef, workloadRef } from '../../ruleKit';
import type { ClusterIndex } from '../../model/clusterIndex';
import { ExposedIngress, ExposedRoute, exposureOf } from '../../model/exposure';
import type { Federation, Member, NamespaceRef } from '../../model/federation';
import { namespaceOf } from '../../model/objects';
import { federationCertificates } from '../../model/tls';
import type { KubeObject } from '../../types';

function workloads(
  name: string,
  list: (federation: Federation) => readonly Member[],
): Subjects<Member> {
  return {
    name,
    list,
    resource: workloadRef,
    place: m => ({ index: m.index, namespace: m.workload.namespace }),
  };
}

/** Every FL workload of the federation. */
export const members = workloads('FL workloads', f => f.members);
export const aggregators = workloads('aggregators', f => f.aggregators);
export const participants = workloads('participants', f => f.participants);

/** The namespaces holding FL workloads, per cluster. */
export const namespaces: Subjects<NamespaceRef> = {
  name: 'namespaces',
  list: f => f.namespaces,
  resource: ns => namespaceRef(ns.index, ns.name),
  place: ns => ({ index: ns.index, namespace: ns.name }),
};

/** An object of a snapshot (Ingress, route, Certificate...). */
interface Located {
  index: ClusterIndex;
  object: KubeObject;
}

function objects<S extends Located>(
  name: string,
  list: (federation: Federation) => readonly S[],
): Subjects<S> {
  return {
    name,
    list,
    resource: s => objectRef(s.index, s.object),
    place: s => ({ index: s.index, namespace: namespaceOf(s.object) }),
  };
}

/** Ingresses routing to the federation's Services. */
export const ingresses = objects<ExposedIngress>(
  'Ingresses',
  f => exposureOf(f).ingresses,
);

/** Gateway API routes (TLS, TCP, HTTP, GRPC) to the federation's Services. */
export const routes = objects<ExposedRoute>(
  'routes',
  f => exposureOf(f).routes,
);

export interface CertificateSubject extends Located {
  certificate: KubeObject;
}

function certificates(
  name: string,
  keep: (index: ClusterIndex) => boolean,
): Subjects<CertificateSubject> {
  return objects(name, f =>
    federationCertificates(f)
      .filter(c => keep(c.index))
      .map(c => ({ ...c, object: c.certificate })),
  );
}

/** cert-manager Certificates writing the federation's TLS Secrets. */
export const certManagerCertificates = certificates(
  'cert-manager Certificates',
  () => true,
);

/** The same, in manifests only (their specs say what will be issued). */
export const plannedCertificates = certificates(
  'cert-manager Certificates (manifests)',
  index => index.offline,
);

/** The first subject of a kind only (a federation-wide verdict needs somewhere to stand). */
export function firstOf<S>(subjects: Subjects<S>): Subjects<S> {
  return {
    ...subjects,
    name: `${subjects.name} (the first)`,
    list: f => subjects.list(f).slice(0, 1),
  };
}
