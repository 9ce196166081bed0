/** Labels and metadata shared by every generated object. */
import {
  FederationSpec,
  KUBERNETES_ID_LABEL,
  ROLE_LABEL,
} from '@fl-security/plugin-fl-security-common';

/** What a generated object is for (value of fl-security/role). */
export type ObjectRole =
  | 'aggregator'
  | 'participant'
  | 'pki'
  | 'network'
  | 'mesh'
  | 'rbac';

export const PARTICIPANT_LABEL = 'fl-security/participant';
export const MANAGED_BY = 'fl-security';

/** A Kubernetes object as generated: plain data, keys in output order. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
}

export interface LabelOptions {
  role: ObjectRole;
  /** app.kubernetes.io/name, for workloads and their Services. */
  app?: string;
  participant?: string;
}

export function labels(spec: FederationSpec, options: LabelOptions): Record<string, string> {
  const result: Record<string, string> = {};
  if (options.app) result['app.kubernetes.io/name'] = options.app;
  result['app.kubernetes.io/part-of'] = spec.name;
  result['app.kubernetes.io/managed-by'] = MANAGED_BY;
  result[KUBERNETES_ID_LABEL] = spec.name;
  result[ROLE_LABEL] = options.role;
  if (options.participant) result[PARTICIPANT_LABEL] = options.participant;
  return result;
}

/** Selector labels of a workload: stable across label additions. */
export function selectorLabels(spec: FederationSpec, app: string): Record<string, string> {
  return { 'app.kubernetes.io/name': app, [KUBERNETES_ID_LABEL]: spec.name };
}

export function manifest(
  apiVersion: string,
  kind: string,
  meta: {
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  },
  body: Record<string, unknown> = {},
): Manifest {
  const metadata: Manifest['metadata'] = { name: meta.name } as Manifest['metadata'];
  if (meta.namespace) metadata.namespace = meta.namespace;
  metadata.labels = meta.labels;
  if (meta.annotations && Object.keys(meta.annotations).length > 0) {
    metadata.annotations = meta.annotations;
  }
  return { apiVersion, kind, metadata, ...body };
}
