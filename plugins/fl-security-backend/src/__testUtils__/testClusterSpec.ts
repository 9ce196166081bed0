import type { TestCluster } from '@fl-security/test-cluster';
import type { ClusterSpec } from '../config/clusters';
import { base64 } from './certs';

/** A portal cluster entry for a local API server, read with one user's token (TLS verified). */
export function testClusterSpec(
  name: string,
  cluster: TestCluster,
  token: string,
): ClusterSpec {
  return {
    name,
    source: {
      type: 'serviceAccount',
      url: cluster.server,
      token,
      caData: base64(cluster.caPem),
      skipTLSVerify: false,
    },
  };
}
