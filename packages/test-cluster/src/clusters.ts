import { startTestCluster, TestCluster, TestClusterOptions } from './cluster';

/**
 * Starts one control plane per entry at once (a federation's aggregator and
 * site clusters, each its own etcd + kube-apiserver), in the order given.
 * All or nothing: if one fails to start, the others are stopped and the
 * first failure is thrown.
 */
export async function startTestClusters(
  options: TestClusterOptions[],
): Promise<TestCluster[]> {
  const names = options.map(o => o.name ?? 'flsec-test');
  if (new Set(names).size !== names.length) {
    throw new Error(`cluster names must differ: ${names.join(', ')}`);
  }
  const started = await Promise.allSettled(
    options.map(o => startTestCluster(o)),
  );
  const clusters = started.flatMap(r =>
    r.status === 'fulfilled' ? [r.value] : [],
  );
  const failed = started.find(
    (r): r is PromiseRejectedResult => r.status === 'rejected',
  );
  if (failed) {
    await Promise.all(clusters.map(c => c.stop()));
    throw failed.reason;
  }
  return clusters;
}
