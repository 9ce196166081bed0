/**
 * The least work a scan can do: the list calls it has to make (every kind
 * the reader lists, in every namespace of the entity, with the same label
 * selector and page size), through the same client connection and the same
 * concurrency limit, responses parsed but not processed.
 */
import {
  ClusterSource,
  connectCluster,
  createLimiter,
  forEachLimit,
  groupVersionPath,
  KubeConnection,
  LISTED_KINDS,
  ResourceKind,
} from './backend';

const PAGE_SIZE = '500';

export interface ListPlan {
  namespaces: string[];
  labelSelector: string;
  /** Served version per listed kind (kinds not served are not listed). */
  versions: Map<ResourceKind, string>;
}

/** Served versions from API discovery, resolved once before timing. */
export async function servedVersions(
  connection: KubeConnection,
): Promise<Map<ResourceKind, string>> {
  const versions = new Map<ResourceKind, string>();
  const signal = new AbortController().signal;
  for (const kind of LISTED_KINDS) {
    for (const version of kind.versions) {
      const response = await connection.request({
        path: groupVersionPath(kind.group, version),
        signal,
      });
      const resources: Array<{ name?: string }> =
        response.status === 200 ? response.body?.resources ?? [] : [];
      if (resources.some(r => r.name === kind.plural)) {
        versions.set(kind, version);
        break;
      }
    }
  }
  return versions;
}

export interface BareListResult {
  requests: number;
  items: number;
}

export async function bareLists(
  cluster: string,
  source: ClusterSource,
  plan: ListPlan,
  concurrency: number,
): Promise<BareListResult> {
  const connection = await connectCluster(cluster, source);
  const limit = createLimiter(concurrency);
  const signal = new AbortController().signal;
  let requests = 0;
  let items = 0;
  const list = async (
    kind: ResourceKind,
    version: string,
    namespace: string,
  ) => {
    const path = `${groupVersionPath(
      kind.group,
      version,
    )}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`;
    let continueToken: string | undefined;
    do {
      const response = await limit(() =>
        connection.request({
          path,
          query: {
            labelSelector:
              kind.selection === 'label' ? plan.labelSelector : undefined,
            limit: PAGE_SIZE,
            continue: continueToken,
          },
          signal,
        }),
      );
      requests += 1;
      if (response.status !== 200) {
        throw new Error(
          `list ${kind.plural} in ${namespace}: HTTP ${response.status}`,
        );
      }
      items += response.body?.items?.length ?? 0;
      continueToken = response.body?.metadata?.continue || undefined;
    } while (continueToken);
  };
  try {
    // Like the reader: `concurrency` workers, not one pending task per list.
    await forEachLimit(
      plan.namespaces.flatMap(namespace =>
        [...plan.versions].map(([kind, version]) => ({
          kind,
          version,
          namespace,
        })),
      ),
      concurrency,
      ({ kind, version, namespace }) => list(kind, version, namespace),
    );
  } finally {
    connection.close();
  }
  return { requests, items };
}
