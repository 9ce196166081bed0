import { Entity } from '@backstage/catalog-model';
import { isFlEntity } from './flEntity';
import { scanTargetForEntity } from './scanTarget';

const entity = (
  annotations: Record<string, string>,
  name = 'fl-demo',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations },
  spec: { type: 'federated-learning' },
});

describe('scanTargetForEntity', () => {
  it('reads the Kubernetes plugin annotations and fl-security/namespaces', () => {
    expect(
      scanTargetForEntity(
        entity({
          'backstage.io/kubernetes-id': 'fed-1',
          'backstage.io/kubernetes-namespace': 'fed-agg',
          'fl-security/namespaces': 'site-a, site-b,fed-agg',
          'backstage.io/kubernetes-cluster': 'aggregator-cluster',
        }),
      ),
    ).toEqual({
      federation: 'fed-1',
      owner: { entityRef: 'component:default/fl-demo', federation: 'fed-1' },
      labelSelector: 'backstage.io/kubernetes-id=fed-1',
      namespaces: ['fed-agg', 'site-a', 'site-b'],
      cluster: 'aggregator-cluster',
    });
  });

  it('names the clusters of a federation and the namespaces in each', () => {
    expect(
      scanTargetForEntity(
        entity({
          'backstage.io/kubernetes-id': 'silo',
          'fl-security/clusters': 'fl-hub, hospital-a',
          'fl-security/namespaces':
            'shared,fl-hub/silo-aggregator,hospital-b/silo-hospital-b,hospital-b/x',
        }),
      ),
    ).toEqual({
      federation: 'silo',
      owner: { entityRef: 'component:default/fl-demo', federation: 'silo' },
      labelSelector: 'backstage.io/kubernetes-id=silo',
      namespaces: ['shared'],
      clusters: ['fl-hub', 'hospital-a', 'hospital-b'],
      clusterNamespaces: {
        'fl-hub': ['silo-aggregator'],
        'hospital-b': ['silo-hospital-b', 'x'],
      },
    });
    // The Kubernetes plugin's cluster joins the list.
    expect(
      scanTargetForEntity(
        entity({
          'backstage.io/kubernetes-cluster': 'fl-hub',
          'fl-security/clusters': 'hospital-a',
        }),
      ).clusters,
    ).toEqual(['fl-hub', 'hospital-a']);
  });

  it('falls back to the entity name and namespace discovery', () => {
    expect(scanTargetForEntity(entity({}))).toEqual({
      federation: 'fl-demo',
      owner: { entityRef: 'component:default/fl-demo', federation: 'fl-demo' },
      labelSelector: 'backstage.io/kubernetes-id=fl-demo',
    });
  });

  it('uses an explicit label selector', () => {
    expect(
      scanTargetForEntity(
        entity({
          'backstage.io/kubernetes-label-selector':
            'app in (superlink,supernode),tier!=db',
        }),
      ).labelSelector,
    ).toBe('app in (superlink,supernode),tier!=db');
  });

  it.each([
    ['backstage.io/kubernetes-id', 'fl demo'],
    ['backstage.io/kubernetes-id', 'x'.repeat(64)],
    ['backstage.io/kubernetes-namespace', 'Fed'],
    ['backstage.io/kubernetes-namespace', 'a,b'],
    ['fl-security/namespaces', 'ok,../etc'],
    ['fl-security/namespaces', 'ok,'],
    ['backstage.io/kubernetes-label-selector', 'a=b&watch=true'],
    ['backstage.io/kubernetes-label-selector', 'a=b\nc: d'],
    ['backstage.io/kubernetes-cluster', 'bad cluster'],
    ['fl-security/clusters', 'fl-hub,'],
    ['fl-security/clusters', 'fl-hub,a/b'],
    ['fl-security/namespaces', 'fl-hub/'],
    ['fl-security/namespaces', 'fl-hub/a/b'],
    ['fl-security/namespaces', 'bad cluster/ns'],
    ['fl-security/namespaces', '/ns'],
    ['backstage.io/kubernetes-namespace', 'fl-hub/ns'],
  ])('rejects %s=%j', (annotation, value) => {
    expect(() => scanTargetForEntity(entity({ [annotation]: value }))).toThrow(
      new RegExp(`^annotation ${annotation.replace(/[./]/g, '\\$&')} must be`),
    );
  });
});

describe('isFlEntity', () => {
  it('follows the frontend rule', () => {
    expect(isFlEntity(entity({}))).toBe(true);
    const web: Entity = { ...entity({}), spec: { type: 'website' } };
    expect(isFlEntity(web)).toBe(false);
    expect(
      isFlEntity({
        ...web,
        metadata: { name: 'w', annotations: { 'fl-security/enabled': 'true' } },
      }),
    ).toBe(true);
    expect(
      isFlEntity({
        ...web,
        metadata: {
          name: 'w',
          annotations: { 'backstage.io/kubernetes-id': 'w' },
        },
      }),
    ).toBe(false);
    expect(
      isFlEntity({
        ...web,
        metadata: {
          name: 'w',
          annotations: {
            'backstage.io/kubernetes-id': 'w',
            'fl-security/namespaces': 'a',
          },
        },
      }),
    ).toBe(true);
  });
});
