import { clusterBundleObjects } from './clusterBundleObjects';
import { generateFromInput } from './generate';
import { crossSiloSpec, smallSpec } from './__testUtils__/specs';

function generated(input: unknown) {
  const result = generateFromInput(input);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result;
}

describe('clusterBundleObjects', () => {
  it('reads back every generated object, each in the bundle of its cluster', () => {
    const result = generated(crossSiloSpec);
    const byCluster = clusterBundleObjects(result.files);
    const hub = result.spec.aggregator.cluster!;
    expect(byCluster.has(hub)).toBe(true);
    expect(byCluster.size).toBeGreaterThan(1);
    const read = [...byCluster.values()].flat();
    expect(read).toHaveLength(result.objects.length);
    expect(read.some(o => o.kind === 'Kustomization')).toBe(false);
    expect(
      byCluster.get(hub)!.some(o => o.kind === 'Deployment' && o.metadata.name === 'superlink'),
    ).toBe(true);
    for (const [cluster, objects] of byCluster) {
      if (cluster === hub) continue;
      expect(objects.some(o => o.kind === 'Deployment' && o.metadata.name === 'superlink')).toBe(false);
      expect(objects.some(o => o.kind === 'Deployment' && o.metadata.name === 'supernode')).toBe(true);
    }
  });

  it('is empty for a federation in one cluster', () => {
    expect(clusterBundleObjects(generated(smallSpec).files).size).toBe(0);
  });
});
