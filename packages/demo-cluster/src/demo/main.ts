/**
 * The local demo of `make start`: a real etcd + kube-apiserver on loopback,
 * the example federation (examples/federation.yaml) generated and applied,
 * its certificates issued, one deliberate violation, and an app-config
 * fragment pointing the portal at it. Runs until SIGINT/SIGTERM.
 *
 *   node --import tsx packages/demo-cluster/src/demo/main.ts <config-out>
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { applyManifests, describeFailures, startTestCluster } from '@fl-security/test-cluster';
import { seedFederation } from '../seedFederation';
import { demoAppConfig } from './demoConfig';
import { allowAllDebugPolicy } from './demoViolation';

// Run from the repository root (scripts/start.sh does).
const repoRoot = process.cwd();

function log(message: string) {
  process.stderr.write(`demo-cluster: ${message}\n`);
}

async function main(configOut: string) {
  const specPath = path.join(repoRoot, 'examples/federation.yaml');
  const cluster = await startTestCluster({ name: 'fl-demo-local' });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    fs.rmSync(configOut, { force: true });
    fs.rmSync(`${configOut}.ready`, { force: true });
    fs.rmSync(`${configOut}.admin.json`, { force: true });
    await cluster.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  log(`kube-apiserver ${cluster.kubernetesVersion} at ${cluster.server}`);
  const seeded = await seedFederation(cluster, parse(fs.readFileSync(specPath, 'utf8')));
  log(
    `applied ${seeded.objects.length} objects of federation ${seeded.spec.name} ` +
      `from ${path.relative(repoRoot, specPath)}; issued ${seeded.certificates.issued.length} certificates`,
  );
  const violation = allowAllDebugPolicy(seeded.spec.aggregator.namespace, seeded.spec.name);
  const results = await applyManifests(cluster, [violation]);
  if (results.some(r => !r.ok)) throw new Error(describeFailures(results));
  log(
    `deliberate violation: NetworkPolicy ${violation.metadata.namespace}/${violation.metadata.name} admits any source`,
  );

  fs.mkdirSync(path.dirname(configOut), { recursive: true });
  // The file holds a bearer token: owner-only.
  fs.writeFileSync(
    configOut,
    demoAppConfig({
      name: 'local-demo',
      url: cluster.server,
      token: seeded.portalToken,
      caPem: cluster.caPem,
    }),
    { mode: 0o600 },
  );
  // For the browser test, which breaks and repairs the demo: the cluster
  // admin's access and the deliberate violation (owner-only; local only).
  fs.writeFileSync(
    `${configOut}.admin.json`,
    JSON.stringify({
      server: cluster.server,
      caPem: cluster.caPem,
      token: cluster.adminToken,
      violation,
    }),
    { mode: 0o600 },
  );
  fs.writeFileSync(`${configOut}.ready`, `${process.pid}\n`);
  log(`portal config written to ${configOut} (cluster local-demo, as ServiceAccount backstage/backstage)`);
  log(`admin kubeconfig: ${cluster.kubeconfigPath}`);
  // Signal handlers alone don't keep Node alive: hold the event loop open
  // until SIGINT/SIGTERM.
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
