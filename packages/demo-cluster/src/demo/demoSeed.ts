/**
 * What `make start` runs and seeds (see main.ts): the clusters of the
 * cross-silo example, each its own API server, and both example federations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { validateFederationSpec } from '@fl-security/plugin-fl-security-common';
import {
  applyManifests,
  describeFailures,
  startTestClusters,
  TestCluster,
} from '@fl-security/test-cluster';
import { seedCrossSiloFederation } from '../seedCrossSilo';
import { seedFederation } from '../seedFederation';
import { allowAllDebugPolicy, wideSiteEgressPolicy } from './demoViolation';

/** The site whose egress is the deliberate violation. */
export const VIOLATING_SITE = 'hospital-a';

/** The example specs, relative to the repository root. */
export const DEMO_SPECS = {
  single: 'examples/federation.yaml',
  crossSilo: 'examples/federation-cross-silo.yaml',
};

export function readSpec(repoRoot: string, file: string): unknown {
  return parse(fs.readFileSync(path.join(repoRoot, file), 'utf8'));
}

/** The aggregator's cluster first, then the sites' (names from the spec). */
export function clusterNames(specInput: unknown): string[] {
  const validation = validateFederationSpec(specInput);
  if (!validation.ok) throw new Error(validation.errors.join('\n'));
  const { spec } = validation;
  const sites = spec.participants
    .map(p => p.cluster)
    .filter((c): c is string => !!c && c !== spec.aggregator.cluster);
  return [spec.aggregator.cluster!, ...new Set(sites)];
}

/**
 * Starts every cluster at once (the aggregator's first, with every upstream
 * CRD); a site gets trust-manager's CRD only, as its bundle needs. If one
 * fails, the others are stopped.
 */
export function startClusters(names: string[]): Promise<TestCluster[]> {
  const siteCrds = {
    certManager: false,
    gatewayApi: false as const,
    istio: false,
    vaultSecretsOperator: false,
    trustManager: true,
  };
  return startTestClusters(
    names.map((name, i) => ({ name, ...(i === 0 ? {} : { crds: siteCrds }) })),
  );
}

async function applyOrThrow(cluster: TestCluster, objects: unknown[]) {
  const results = await applyManifests(cluster, objects);
  if (results.some(r => !r.ok)) throw new Error(describeFailures(results));
}

/**
 * Seeds the started clusters (aggregator's first): the single-cluster spec
 * into the aggregator's cluster, the cross-silo one bundle by bundle, and
 * the deliberate violation of each.
 */
export async function seedDemo(
  clusters: TestCluster[],
  specs: { single: unknown; crossSilo: unknown },
  log: (message: string) => void = () => {},
) {
  const [hub] = clusters;
  const single = await seedFederation(hub, specs.single);
  const violation = allowAllDebugPolicy(
    single.spec.aggregator.namespace,
    single.spec.name,
  );
  await applyOrThrow(hub, [violation]);
  log(
    `${single.spec.name}: ${single.objects.length} objects in ${hub.name}; NetworkPolicy ${violation.metadata.namespace}/${violation.metadata.name} admits any source`,
  );

  const silo = await seedCrossSiloFederation(
    Object.fromEntries(clusters.map(c => [c.name, c])),
    specs.crossSilo,
  );
  for (const [name, objects] of silo.bundles)
    log(
      `${silo.spec.name}: bundle ${name}, ${objects.length} objects applied in its own cluster`,
    );
  const site = silo.spec.participants.find(p => p.cluster === VIOLATING_SITE)!;
  const siteViolation = wideSiteEgressPolicy(site.namespace, silo.spec.name);
  await applyOrThrow(clusters.find(c => c.name === VIOLATING_SITE)!, [
    siteViolation,
  ]);
  log(
    `${silo.spec.name}: NetworkPolicy ${site.namespace}/${siteViolation.metadata.name} in cluster ${VIOLATING_SITE} allows egress to 0.0.0.0/0:443`,
  );
  return { single, violation, silo, siteViolation };
}
