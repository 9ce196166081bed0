import { ApiEndpoint, kubeRequest, statusMessage } from './http';

export interface ResourceInfo {
  /** Plural resource name used in URLs, e.g. networkpolicies */
  plural: string;
  namespaced: boolean;
}

interface DiscoveredResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/**
 * Maps apiVersion + kind to URL paths using the API server's discovery
 * documents. A group/version is re-read when a kind is not found in it,
 * because CRDs installed moments ago appear in discovery with a delay.
 */
export class Discovery {
  private readonly cache = new Map<string, DiscoveredResource[]>();

  constructor(
    private readonly endpoint: ApiEndpoint,
    private readonly token: string,
  ) {}

  async resource(apiVersion: string, kind: string, waitMs = 10_000): Promise<ResourceInfo> {
    const deadline = Date.now() + waitMs;
    let reason = '';
    for (;;) {
      let resources = this.cache.get(apiVersion);
      if (!resources || !resources.some(r => r.kind === kind)) {
        const read = await this.read(apiVersion);
        resources = read.resources;
        reason = read.reason;
        if (resources) {
          this.cache.set(apiVersion, resources);
        }
      }
      const found = resources?.find(r => r.kind === kind && !r.name.includes('/'));
      if (found) {
        return { plural: found.name, namespaced: found.namespaced };
      }
      if (Date.now() >= deadline) {
        throw new Error(`the API server does not serve ${kind} in ${apiVersion}${reason}`);
      }
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }

  private async read(
    apiVersion: string,
  ): Promise<{ resources?: DiscoveredResource[]; reason: string }> {
    const response = await kubeRequest(this.endpoint, {
      path: apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`,
      token: this.token,
    });
    if (response.status !== 200) {
      return { reason: ` (${statusMessage(response)})` };
    }
    return { resources: response.body.resources ?? [], reason: '' };
  }
}

/** The collection URL of a resource, e.g. /apis/apps/v1/namespaces/x/deployments */
export function collectionPath(
  apiVersion: string,
  info: ResourceInfo,
  namespace: string | undefined,
): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const scope = info.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? '')}` : '';
  return `${base}${scope}/${info.plural}`;
}
