/**
 * Cross-silo: a federation whose aggregator and N sites (default 100) each
 * run in their own cluster, scanned as the portal scans it: one configured
 * cluster per bundle, the entity naming `cluster/namespace` for each. The
 * clusters are simulated: each is a context (own name, own connection, own
 * request limiter) of one of a few local API servers (default 3), which
 * hold the bundles of their clusters, each cluster's objects in its own
 * namespaces. One server cannot stand for all 101: the portal allows 6
 * requests in flight per cluster, 606 in all, and an API server answers 429
 * beyond 400 (--max-requests-inflight). The sites' reads still share the
 * machine's two cores, where real site clusters would answer in parallel.
 * Next to it, on the first server and interleaved, the same participants as
 * a single-cluster federation. Prints JSON (see bench/run.mjs).
 *
 *   --sites 100 --servers 3 --runs 5
 */
import { performance } from 'node:perf_hooks';
import {
  entityAnnotations,
  generateFederationProject,
} from '@fl-security/plugin-fl-security-node';
import { startTestCluster, TestCluster } from '@fl-security/test-cluster';
import { progress, sectionArgs, writeResult } from '../lib/args';
import { ClusterSpec } from '../live/backend';
import { measureScans } from '../crossSilo/scan';
import {
  applyChanged,
  componentEntity,
  issuedCaBundle,
  objectsByCluster,
  seedAll,
  sharedServerObjects,
} from '../crossSilo/seed';
import { crossSiloSpec, HUB, singleClusterSpec } from '../crossSilo/spec';

function option(name: string, fallback: string): number {
  const index = process.argv.indexOf(name);
  const value = Number(index >= 0 ? process.argv[index + 1] : fallback);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer`);
  return value;
}

function subset<T>(map: Map<string, T>, names: string[]): Map<string, T> {
  return new Map(names.map(name => [name, map.get(name)!]));
}

function sourceOf(server: TestCluster, token: string) {
  return {
    type: 'serviceAccount' as const,
    url: server.server,
    token,
    caData: Buffer.from(server.caPem).toString('base64'),
    skipTLSVerify: false,
  };
}

/**
 * Seeds every server with its clusters (the hub and every n-th site on the
 * first, with the single-cluster federation), then does the operator's
 * step: copy the issued CA into tls.caBundle, regenerate, apply what changed
 * (the sites' ConfigMaps and trust-manager Bundles).
 */
async function seedServers(servers: TestCluster[], sites: number) {
  const silo = crossSiloSpec(`silo-${sites}`, sites);
  const single = singleClusterSpec(`single-${sites}`, sites);
  const byCluster = objectsByCluster(silo);
  const names = [HUB, ...[...byCluster.keys()].filter(n => n !== HUB)];
  const groups = servers.map((_, i) =>
    names.filter((_n, k) => k % servers.length === i),
  );
  const singleObjects = generateFederationProject(single).objects as Parameters<
    typeof seedAll
  >[1];
  const seeded = await Promise.all(
    servers.map((server, i) =>
      seedAll(
        server,
        [
          ...sharedServerObjects(subset(byCluster, groups[i])),
          ...(i === 0 ? singleObjects : []),
        ],
        silo.portal,
      ),
    ),
  );
  const ca = await issuedCaBundle(servers[0], byCluster.get(HUB)!);
  const trusted = objectsByCluster(crossSiloSpec(silo.name, sites, [ca]));
  const changed = await Promise.all(
    servers.map((server, i) =>
      applyChanged(
        server,
        sharedServerObjects(subset(byCluster, groups[i])),
        sharedServerObjects(subset(trusted, groups[i])),
      ),
    ),
  );
  progress(
    `copied the issued CA into tls.caBundle: ${changed.reduce(
      (a, b) => a + b,
    )} objects changed`,
  );
  const contexts: ClusterSpec[] = groups.flatMap((group, i) =>
    group.map(name => ({
      name,
      source: sourceOf(servers[i], seeded[i].token),
    })),
  );
  return {
    contexts,
    seeded,
    changed,
    // The generator's annotations: fl-security/clusters and cluster/namespace entries.
    silo: { entity: componentEntity(silo, entityAnnotations(silo)) },
    single: {
      entity: componentEntity(single, entityAnnotations(single)),
      source: sourceOf(servers[0], seeded[0].token),
    },
  };
}

async function main() {
  const args = sectionArgs({ runs: 5, warmup: 1 });
  const sites = option('--sites', '100');
  const serverCount = option('--servers', '3');
  let started = performance.now();
  const servers = await Promise.all(
    Array.from({ length: serverCount }, (_, i) =>
      startTestCluster({
        name: `fl-bench-silo-${i}`,
        crds: { trustManager: true },
      }),
    ),
  );
  const startMs = performance.now() - started;
  progress(
    `${serverCount} API servers ${servers[0].kubernetesVersion} ready in ${(
      startMs / 1000
    ).toFixed(1)} s`,
  );
  try {
    const seeded = await seedServers(servers, sites);
    progress(
      `scans: ${seeded.contexts.length} cluster contexts on ${serverCount} servers vs 1 (${args.warmup} warm-up, ${args.runs} runs each, interleaved)`,
    );
    started = performance.now();
    const rows = await measureScans(
      [
        {
          label: 'single cluster',
          clusters: [{ name: 'bench', source: seeded.single.source }],
          entity: seeded.single.entity,
        },
        {
          label: 'cross-silo',
          clusters: seeded.contexts,
          entity: seeded.silo.entity,
        },
      ],
      { runs: args.runs, warmup: args.warmup },
    );
    writeResult(args, {
      kubernetesVersion: servers[0].kubernetesVersion,
      sites,
      participants: sites,
      servers: serverCount,
      simulated: `${serverCount} API servers, one context per cluster`,
      clusterStartMs: startMs,
      caCopied: { changedObjects: seeded.changed },
      seed: seeded.seeded.map(({ token: _token, ...rest }) => rest),
      scansMs: performance.now() - started,
      rows,
    });
  } finally {
    await Promise.all(servers.map(server => server.stop()));
  }
}

main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
