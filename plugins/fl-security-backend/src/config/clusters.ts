import { RootConfigService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { loadClientNode } from '../kube/clientNode';

/** How the backend reaches and authenticates to one cluster. */
export type ClusterSource =
  | {
      type: 'serviceAccount';
      url: string;
      /** Absent: the pod's own service account token is used. */
      token?: string;
      caData?: string;
      caFile?: string;
      skipTLSVerify: boolean;
    }
  | { type: 'kubeconfig'; path: string; context: string }
  | { type: 'inCluster' };

/**
 * A configured cluster. `error` is set when the configuration cannot be used
 * (e.g. an unsupported auth provider): such clusters are reported in every
 * report that needs them, never silently skipped.
 */
export interface ClusterSpec {
  name: string;
  source?: ClusterSource;
  error?: string;
}

const SUPPORTED_AUTH_PROVIDERS = ['serviceAccount'];

function readConfigCluster(cluster: Config): ClusterSpec {
  const name = cluster.getString('name');
  const authProvider =
    cluster.getOptionalString('authProvider') ?? 'serviceAccount';
  if (!SUPPORTED_AUTH_PROVIDERS.includes(authProvider)) {
    return {
      name,
      error: `auth provider '${authProvider}' is not supported by the FL security backend (supported: ${SUPPORTED_AUTH_PROVIDERS.join(
        ', ',
      )})`,
    };
  }
  const url = cluster.getString('url');
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return { name, error: `invalid cluster url` };
  }
  if (protocol !== 'https:' && protocol !== 'http:') {
    return { name, error: `cluster url must be http(s), got ${protocol}` };
  }
  return {
    name,
    source: {
      type: 'serviceAccount',
      url,
      token: cluster.getOptionalString('serviceAccountToken'),
      caData: cluster.getOptionalString('caData'),
      caFile: cluster.getOptionalString('caFile'),
      skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
    },
  };
}

async function readKubeconfigClusters(path: string): Promise<ClusterSpec[]> {
  const { KubeConfig } = await loadClientNode();
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(path);
  } catch (error) {
    return [
      {
        name: 'kubeconfig',
        error: `cannot load flSecurity.kubeconfig: ${(error as Error).message}`,
      },
    ];
  }
  return kc.getContexts().map(context => ({
    name: context.name,
    source: { type: 'kubeconfig', path, context: context.name },
  }));
}

/**
 * Every cluster the backend may read: `kubernetes.clusterLocatorMethods`
 * entries of type `config` (the Kubernetes plugin's configuration), plus
 * `flSecurity.kubeconfig` contexts and the in-cluster configuration.
 */
export async function readClusters(config: RootConfigService): Promise<{
  clusters: ClusterSpec[];
  /** Locator types (gke, catalog, ...) this backend does not read. */
  ignoredLocatorTypes: string[];
}> {
  const specs: ClusterSpec[] = [];
  const ignoredLocatorTypes: string[] = [];
  const locators =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const locator of locators) {
    const type = locator.getString('type');
    if (type !== 'config') {
      ignoredLocatorTypes.push(type);
      continue;
    }
    for (const cluster of locator.getOptionalConfigArray('clusters') ?? []) {
      specs.push(readConfigCluster(cluster));
    }
  }

  const kubeconfig = config.getOptionalString('flSecurity.kubeconfig');
  if (kubeconfig) specs.push(...(await readKubeconfigClusters(kubeconfig)));

  if (config.getOptionalBoolean('flSecurity.inCluster')) {
    specs.push({
      name: config.getOptionalString('flSecurity.inClusterName') ?? 'local',
      source: { type: 'inCluster' },
    });
  }

  // A name used twice would make `backstage.io/kubernetes-cluster` ambiguous.
  const seen = new Map<string, number>();
  for (const spec of specs) seen.set(spec.name, (seen.get(spec.name) ?? 0) + 1);
  const clusters = specs.map(spec =>
    (seen.get(spec.name) ?? 0) > 1
      ? {
          name: spec.name,
          error: `cluster name '${spec.name}' is configured more than once`,
        }
      : spec,
  );
  return { clusters, ignoredLocatorTypes };
}
