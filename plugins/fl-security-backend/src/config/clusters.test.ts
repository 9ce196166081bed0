import { mockServices } from '@backstage/backend-test-utils';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadClientNode } from '../kube/clientNode';
import { readClusters } from './clusters';

describe('readClusters', () => {
  beforeAll(() => loadClientNode(), 60_000);

  it('reads the Kubernetes plugin clusters and reports unsupported auth', async () => {
    const config = mockServices.rootConfig({
      data: {
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'aggregator-cluster',
                  url: 'https://10.0.0.1:6443',
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 'tok',
                  caData: 'Q0E=',
                },
                {
                  name: 'gke-site',
                  url: 'https://10.0.0.2',
                  authProvider: 'google',
                },
                {
                  name: 'bad-url',
                  url: 'ftp://x',
                  authProvider: 'serviceAccount',
                },
              ],
            },
            { type: 'gke', projectId: 'p' },
          ],
        },
      },
    });
    const { clusters, ignoredLocatorTypes } = await readClusters(config);
    expect(ignoredLocatorTypes).toEqual(['gke']);
    expect(clusters).toEqual([
      {
        name: 'aggregator-cluster',
        source: {
          type: 'serviceAccount',
          url: 'https://10.0.0.1:6443',
          token: 'tok',
          caData: 'Q0E=',
          caFile: undefined,
          skipTLSVerify: false,
        },
      },
      {
        name: 'gke-site',
        error:
          "auth provider 'google' is not supported by the FL security backend (supported: serviceAccount)",
      },
      { name: 'bad-url', error: 'cluster url must be http(s), got ftp:' },
    ]);
  });

  it('adds kubeconfig contexts and the in-cluster configuration; flags duplicates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
    const path = join(dir, 'config');
    writeFileSync(
      path,
      `apiVersion: v1
kind: Config
clusters:
- name: kind-a
  cluster: { server: 'https://127.0.0.1:6443' }
users:
- name: u
  user: { token: t }
contexts:
- name: kind-a
  context: { cluster: kind-a, user: u }
- name: local
  context: { cluster: kind-a, user: u }
current-context: kind-a
`,
    );
    const config = mockServices.rootConfig({
      data: { flSecurity: { kubeconfig: path, inCluster: true } },
    });
    const { clusters } = await readClusters(config);
    expect(clusters).toEqual([
      {
        name: 'kind-a',
        source: { type: 'kubeconfig', path, context: 'kind-a' },
      },
      {
        name: 'local',
        error: "cluster name 'local' is configured more than once",
      },
      {
        name: 'local',
        error: "cluster name 'local' is configured more than once",
      },
    ]);
  });

  it('reports an unreadable kubeconfig', async () => {
    const config = mockServices.rootConfig({
      data: { flSecurity: { kubeconfig: '/nonexistent/kubeconfig' } },
    });
    const { clusters } = await readClusters(config);
    expect(clusters).toHaveLength(1);
    expect(clusters[0].name).toBe('kubeconfig');
    expect(clusters[0].error).toMatch(/cannot load flSecurity.kubeconfig/);
  });
});
