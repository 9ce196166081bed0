/**
 * The local demo of `make start`: three real etcd + kube-apiserver pairs on
 * loopback, an aggregator cluster and two site clusters.
 *
 * - examples/federation-cross-silo.yaml (silo-federation) generated and
 *   applied bundle by bundle, each into its own cluster, the aggregator's
 *   certificates issued and its CA put into the sites' trust bundle; one
 *   deliberate violation in a site cluster (egress wider than the aggregator).
 * - examples/federation.yaml (demo-federation) in the aggregator's cluster,
 *   with its own deliberate violation, as before.
 *
 * Writes an app-config fragment naming the three clusters, then runs until
 * SIGINT/SIGTERM.
 *
 *   node --import tsx packages/demo-cluster/src/demo/main.ts <config-out>
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestCluster } from '@fl-security/test-cluster';
import { demoAppConfig } from './demoConfig';
import {
  clusterNames,
  DEMO_SPECS,
  readSpec,
  seedDemo,
  startClusters,
  VIOLATING_SITE,
} from './demoSeed';

// Run from the repository root (scripts/start.sh does).
const repoRoot = process.cwd();

function log(message: string) {
  process.stderr.write(`demo-cluster: ${message}\n`);
}

function writeOwnerOnly(file: string, content: string) {
  // Bearer tokens: owner-only.
  fs.writeFileSync(file, content, { mode: 0o600 });
}

async function main(configOut: string) {
  const startedAt = Date.now();
  const specs = {
    single: readSpec(repoRoot, DEMO_SPECS.single),
    crossSilo: readSpec(repoRoot, DEMO_SPECS.crossSilo),
  };
  const clusters = await startClusters(clusterNames(specs.crossSilo));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const file of [
      configOut,
      `${configOut}.ready`,
      `${configOut}.admin.json`,
    ])
      fs.rmSync(file, { force: true });
    await Promise.all(clusters.map(c => c.stop()));
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  for (const c of clusters)
    log(
      `cluster ${c.name}: kube-apiserver ${c.kubernetesVersion} at ${c.server}`,
    );
  log(
    `${clusters.length} API servers up in ${(
      (Date.now() - startedAt) /
      1000
    ).toFixed(1)} s`,
  );

  const { single, violation, silo, siteViolation } = await seedDemo(
    clusters,
    specs,
    log,
  );
  const hub = clusters[0];
  fs.mkdirSync(path.dirname(configOut), { recursive: true });
  writeOwnerOnly(
    configOut,
    demoAppConfig(
      clusters.map(c => ({
        name: c.name,
        url: c.server,
        // demo-federation's portal account lives in the hub too; one token per cluster.
        token: silo.portalTokens[c.name] ?? single.portalToken,
        caPem: c.caPem,
      })),
    ),
  );
  // For the browser test, which breaks and repairs the demo: each cluster
  // admin's access and the deliberate violations (owner-only; local only).
  const admin = (c: TestCluster) => ({
    server: c.server,
    caPem: c.caPem,
    token: c.adminToken,
  });
  writeOwnerOnly(
    `${configOut}.admin.json`,
    JSON.stringify({
      ...admin(hub),
      violation,
      clusters: Object.fromEntries(clusters.map(c => [c.name, admin(c)])),
      siteViolation: { cluster: VIOLATING_SITE, object: siteViolation },
    }),
  );
  fs.writeFileSync(`${configOut}.ready`, `${process.pid}\n`);
  log(
    `ready after ${((Date.now() - startedAt) / 1000).toFixed(
      1,
    )} s; portal config ${configOut} (clusters ${clusters
      .map(c => c.name)
      .join(', ')})`,
  );
  for (const c of clusters)
    log(`admin kubeconfig of ${c.name}: ${c.kubeconfigPath}`);
  // Signal handlers alone don't keep Node alive: hold the event loop open.
  setInterval(() => {}, 60_000);
}

const configOut = process.argv[2];
if (!configOut) {
  log('usage: main.ts <config-out>');
  process.exit(2);
}
main(path.resolve(configOut)).catch(error => {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
