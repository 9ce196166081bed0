/**
 * Safe readers for the untyped parts of Kubernetes objects: the engine gets
 * whatever a manifest or an API server returned and must never crash on it.
 */
import type { KubeObject } from '../types';

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function record(value: unknown): Json {
  return isRecord(value) ? value : {};
}

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * The object entries of a list. Returns the list itself when every entry is
 * an object (the common case): callers must not mutate the result.
 */
export function records(value: unknown): readonly Json[] {
  if (!Array.isArray(value)) return EMPTY;
  for (let i = 0; i < value.length; i++) {
    if (!isRecord(value[i])) return value.filter(isRecord);
  }
  return value as Json[];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The string entries of a list (the list itself when all are strings: do not mutate). */
export function strings(value: unknown): readonly string[] {
  if (!Array.isArray(value)) return EMPTY;
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string')
      return value.filter((v): v is string => typeof v === 'string');
  }
  return value as string[];
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/**
 * A label/annotation map with string values. Returns the map itself when all
 * values are strings (the common case): callers must not mutate the result.
 */
export function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  let clean = true;
  for (const k in value) {
    if (typeof value[k] !== 'string') {
      clean = false;
      break;
    }
  }
  if (clean) return value as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record(value))) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean')
      out[k] = String(v);
  }
  return out;
}

export function spec(object: KubeObject): Json {
  return record(object.spec);
}

export function labelsOf(object: KubeObject): Record<string, string> {
  return stringMap(object.metadata?.labels);
}

export function annotationsOf(object: KubeObject): Record<string, string> {
  return stringMap(object.metadata?.annotations);
}

/** Kinds that have no namespace; everything else defaults to `default`. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'ClusterIssuer',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'GatewayClass',
  'IngressClass',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'Bundle',
  'ClusterTrustBundle',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** The namespace an object lives in (`default` when a manifest omits it). */
export function namespaceOf(object: KubeObject): string | undefined {
  if (isClusterScoped(object.kind)) return undefined;
  return str(object.metadata?.namespace) || 'default';
}

/** Stable key of an object reference, used to join results with locations. */
export function resourceKey(ref: {
  cluster?: string;
  kind: string;
  namespace?: string;
  name: string;
}): string {
  return [ref.cluster ?? '', ref.kind, ref.namespace ?? '', ref.name].join('/');
}

/** The API group of an apiVersion (`''` for the core group). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
