import { parseAllDocuments } from 'yaml';
import { ADMIN_USER } from './credentials';
import { collectionPath, Discovery } from './discovery';
import { ApiEndpoint, kubeRequest, statusMessage } from './http';

/** What applyManifests needs from a cluster: where it is and the users' tokens. */
export interface ClusterAccess extends ApiEndpoint {
  tokens: Record<string, string>;
}

export interface ApplyOptions {
  /**
   * apply (default): server-side apply, PATCH application/apply-patch+yaml.
   * create: POST, fails if the object exists. Under Strict, an unknown field
   * fails create with 400 "unknown field"; server-side apply rejects it even
   * earlier, with upstream's 500 "field not declared in schema".
   */
  mode?: 'apply' | 'create';
  /** Server-side dry run (dryRun=All): validated and admitted, not persisted. */
  dryRun?: boolean;
  /** Default Strict: unknown or duplicate fields are errors. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** Whose token to use; default the admin user. */
  user?: string;
  fieldManager?: string;
  /** For namespaced objects without metadata.namespace; absent means reject them. */
  defaultNamespace?: string;
}

export interface ApplyResult {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  ok: boolean;
  status: number;
  /** The server's message when not ok. */
  message?: string;
  warnings: string[];
  /** The object as the server returned it (the would-be object on dry run). */
  object?: any;
}

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [key: string]: unknown;
}

function isManifest(doc: any): doc is Manifest {
  return (
    typeof doc === 'object' &&
    doc !== null &&
    typeof doc.apiVersion === 'string' &&
    typeof doc.kind === 'string' &&
    typeof doc.metadata?.name === 'string' &&
    doc.metadata.name.length > 0
  );
}

/** Multi-document YAML to objects; empty documents are dropped, errors throw. */
export function parseManifests(yamlText: string): unknown[] {
  const docs = parseAllDocuments(yamlText, { uniqueKeys: true });
  const objects: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      throw new Error(`invalid YAML: ${doc.errors[0].message}`);
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) {
      objects.push(value);
    }
  }
  return objects;
}

/**
 * Server-side apply (or create) of each object in order, as the given user. Never throws for a rejected object: every object
 * gets a result, so a caller can report all problems at once.
 */
export async function applyManifests(
  cluster: ClusterAccess,
  docs: string | unknown[],
  options: ApplyOptions = {},
): Promise<ApplyResult[]> {
  const user = options.user ?? ADMIN_USER;
  const token = cluster.tokens[user];
  if (!token) {
    throw new Error(`unknown test cluster user ${user}`);
  }
  const objects = typeof docs === 'string' ? parseManifests(docs) : docs;
  const discovery = new Discovery(cluster, token);
  const results: ApplyResult[] = [];
  for (const doc of objects) {
    if (!isManifest(doc)) {
      throw new Error(`not a Kubernetes object (apiVersion, kind, metadata.name): ${JSON.stringify(doc).slice(0, 200)}`);
    }
    results.push(await applyOne(cluster, discovery, token, doc, options));
  }
  return results;
}

async function applyOne(
  cluster: ClusterAccess,
  discovery: Discovery,
  token: string,
  doc: Manifest,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const base = { apiVersion: doc.apiVersion, kind: doc.kind, name: doc.metadata.name };
  let info;
  try {
    info = await discovery.resource(doc.apiVersion, doc.kind);
  } catch (error) {
    return { ...base, ok: false, status: 404, message: (error as Error).message, warnings: [] };
  }
  const namespace = info.namespaced
    ? doc.metadata.namespace ?? options.defaultNamespace
    : undefined;
  if (info.namespaced && !namespace) {
    return { ...base, ok: false, status: 0, message: 'namespaced object without metadata.namespace', warnings: [] };
  }
  const apply = (options.mode ?? 'apply') === 'apply';
  const query = new URLSearchParams({
    fieldManager: options.fieldManager ?? 'flsec-test',
    fieldValidation: options.fieldValidation ?? 'Strict',
  });
  if (apply) {
    query.set('force', 'true');
  }
  if (options.dryRun) {
    query.set('dryRun', 'All');
  }
  const body = namespace ? { ...doc, metadata: { ...doc.metadata, namespace } } : doc;
  const collection = collectionPath(doc.apiVersion, info, namespace);
  const response = await kubeRequest(cluster, {
    method: apply ? 'PATCH' : 'POST',
    path: apply
      ? `${collection}/${encodeURIComponent(doc.metadata.name)}?${query}`
      : `${collection}?${query}`,
    token,
    // JSON is YAML too, and keeps the structure exactly as given.
    body: JSON.stringify(body),
    contentType: apply ? 'application/apply-patch+yaml' : 'application/json',
  });
  const ok = response.status >= 200 && response.status < 300;
  return {
    ...base,
    namespace,
    ok,
    status: response.status,
    message: ok ? undefined : statusMessage(response),
    warnings: response.warnings,
    object: ok ? response.body : undefined,
  };
}

/** One line per failed result, for assertion messages. */
export function describeFailures(results: ApplyResult[]): string {
  return results
    .filter(result => !result.ok)
    .map(r => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}: ${r.status} ${r.message}`)
    .join('\n');
}
