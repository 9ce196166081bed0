import { KubeObject } from './engineTypes';

/**
 * Annotation in which `kubectl apply` keeps the whole applied object: for a
 * Secret that is its data, so it never leaves the reader.
 */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Drops bookkeeping the engine does not need (and Secret data copies). */
export function sanitizeObject(object: KubeObject): KubeObject {
  const {
    managedFields: _managed,
    annotations,
    ...metadata
  } = object.metadata ?? ({} as KubeObject['metadata']);
  const kept = annotations
    ? Object.fromEntries(
        Object.entries(annotations).filter(([key]) => key !== LAST_APPLIED),
      )
    : undefined;
  return {
    ...object,
    metadata: { ...metadata, ...(kept ? { annotations: kept } : {}) },
  };
}

/** Public parts of a TLS Secret: certificates may appear in reports. */
const PUBLIC_SECRET_KEYS = new Set(['tls.crt', 'ca.crt']);

/** Base64 bodies inside PEM armour, without line breaks. */
function pemBodies(text: string): string[] {
  const bodies: string[] = [];
  const pattern = /-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/g;
  for (const match of text.matchAll(pattern)) {
    bodies.push(match[1].replace(/\s+/g, ''));
  }
  return bodies;
}

/**
 * Collects the values of a Secret that must never appear in a report: every
 * data value except public certificates, as stored (base64) and the base64
 * bodies of any PEM blocks inside it.
 */
export function collectSensitiveValues(
  secret: KubeObject,
  into: Set<string>,
): void {
  const data = (secret.data ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(data)) {
    if (PUBLIC_SECRET_KEYS.has(key) || typeof value !== 'string') continue;
    if (value.length >= 16) into.add(value);
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    for (const body of pemBodies(decoded)) {
      if (body.length >= 16) into.add(body);
    }
  }
  const stringData = (secret.stringData ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(stringData)) {
    if (PUBLIC_SECRET_KEYS.has(key) || typeof value !== 'string') continue;
    for (const body of pemBodies(value)) {
      if (body.length >= 16) into.add(body);
    }
  }
}
