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

const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

/** The portal's config and, for the browser test, the admins' access. */
function writeDemoFiles(
  configOut: string,
  clusters: TestCluster[],
  seeded: Awaited<ReturnType<typeof seedDemo>>,
) {
  fs.mkdirSync(path.dirname(configOut), { recursive: true });
  writeOwnerOnly(
    configOut,
    demoAppConfig(
      clusters.map(c => ({
        name: c.name,
        url: c.server,
        // One ServiceAccount per cluster; in fl-hub both federations' RBAC binds it.
        token: seeded.silo.portalTokens[c.name],
        caPem: c.caPem,
      })),
    ),
  );
  // The browser test breaks and repairs the demo: each cluster admin's
  // access (the aggregator's at the top level) and the deliberate violations.
  const admin = (c: TestCluster) => ({
    server: c.server,
    caPem: c.caPem,
    token: c.adminToken,
  });
  writeOwnerOnly(
    `${configOut}.admin.json`,
    JSON.stringify({
      ...admin(clusters[0]),
      violation: seeded.violation,
      clusters: Object.fromEntries(clusters.map(c => [c.name, admin(c)])),
      siteViolation: { cluster: VIOLATING_SITE, object: seeded.siteViolation },
    }),
  );
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
    for (const suffix of ['', '.ready', '.admin.json'])
      fs.rmSync(`${configOut}${suffix}`, { force: true });
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
  log(`${clusters.length} API servers up in ${seconds(startedAt)} s`);

  writeDemoFiles(configOut, clusters, await seedDemo(clusters, specs, log));
  fs.writeFileSync(`${configOut}.ready`, `${process.pid}\n`);
  const names = clusters.map(c => c.name).join(', ');
  log(
    `ready after ${seconds(
      startedAt,
    )} s; portal config ${configOut} (clusters ${names})`,
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
