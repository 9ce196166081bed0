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
