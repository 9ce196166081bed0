import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { applyManifests } from './apply';
import { startTestCluster, TestCluster } from './cluster';
import {
  createNamespaces,
  defaultSpec,
  generatedManifests,
  maximalSpec,
  problems,
  providerExposureMatrix,
} from './__testUtils__/generatedProjects';

// Every manifest the generator emits must be accepted by a real API server
// with the real built-in schemas and the upstream CRDs (Gateway API standard
// channel, as most clusters run it), under fieldValidation=Strict.
jest.setTimeout(180_000);

const exampleSpec = parse(
  fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'examples', 'federation.yaml'), 'utf8'),
);

const variants: [string, unknown][] = [
  ['default federation', defaultSpec],
  ['maximal federation', maximalSpec],
  ['examples/federation.yaml', exampleSpec],
  ...providerExposureMatrix(),
];

describe('generated manifests on a real API server', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('rejects a broken generated object (the check is live)', async () => {
    const { docs } = generatedManifests(defaultSpec);
    await createNamespaces(cluster, docs);
    const deployment = docs.find(doc => doc.kind === 'Deployment');
    const broken = {
      ...deployment,
      spec: { ...deployment.spec, template: { ...deployment.spec.template, spec: { ...deployment.spec.template.spec, hostNetwrk: true } } },
    };
    const [result] = await applyManifests(cluster, [broken], { dryRun: true });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/hostNetwrk/);
  });

  it.each(variants)('accepts every object of the %s (Strict dry run, apply and create)', async (_label, spec) => {
    const { docs, objectCount, files } = generatedManifests(spec);
    expect(files.length).toBeGreaterThan(0);
    expect(docs).toHaveLength(objectCount);
    await createNamespaces(cluster, docs);
    const applied = await applyManifests(cluster, docs, { dryRun: true, fieldValidation: 'Strict' });
    expect(problems(applied)).toBe('');
    // A dry-run create checks a first install too (kubectl create / client-side
    // apply); the namespaces exist for real already.
    const fresh = docs.filter(doc => doc.kind !== 'Namespace');
    const created = await applyManifests(cluster, fresh, {
      mode: 'create',
      dryRun: true,
      fieldValidation: 'Strict',
    });
    expect(problems(created)).toBe('');
    expect(applied.length).toBe(objectCount);
  });
});
