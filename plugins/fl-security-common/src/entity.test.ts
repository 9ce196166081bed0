import { fleetPath } from './api';
import {
  isFullEntityRef,
  NAMESPACE_ENTITY_ANNOTATION,
  NAMESPACE_FEDERATION_LABEL,
  namespaceBinding,
} from './entity';

const entity = { entityRef: 'component:team-a/fed-a', federation: 'fed-a' };

function ns(
  labels?: Record<string, string>,
  annotations?: Record<string, string>,
) {
  return { metadata: { labels, annotations } };
}

describe('namespaceBinding', () => {
  it('binds a namespace whose label and annotation name the entity', () => {
    expect(
      namespaceBinding(
        ns(
          { [NAMESPACE_FEDERATION_LABEL]: 'fed-a' },
          { [NAMESPACE_ENTITY_ANNOTATION]: 'Component:team-a/fed-a' },
        ),
        entity,
      ),
    ).toEqual({ bound: true });
  });

  it.each([
    ['no binding at all', ns(), /carries no fl-security binding/],
    [
      'only the annotation',
      ns(undefined, { [NAMESPACE_ENTITY_ANNOTATION]: entity.entityRef }),
      /has no label fl-security\/federation/,
    ],
    [
      'another federation',
      ns(
        { [NAMESPACE_FEDERATION_LABEL]: 'fed-b' },
        { [NAMESPACE_ENTITY_ANNOTATION]: entity.entityRef },
      ),
      /names another federation than fed-a/,
    ],
    [
      'the federation id but no owner (shared kubernetes-id)',
      ns({ [NAMESPACE_FEDERATION_LABEL]: 'fed-a' }),
      /has no annotation fl-security\/entity-ref/,
    ],
    [
      'another entity with the same federation id',
      ns(
        { [NAMESPACE_FEDERATION_LABEL]: 'fed-a' },
        { [NAMESPACE_ENTITY_ANNOTATION]: 'component:team-b/fed-a' },
      ),
      /names another entity than component:team-a\/fed-a/,
    ],
    [
      'a group instead of the entity',
      ns(
        { [NAMESPACE_FEDERATION_LABEL]: 'fed-a' },
        { [NAMESPACE_ENTITY_ANNOTATION]: 'group:team-a/team-a' },
      ),
      /names another entity/,
    ],
    [
      'a short ref (defaults are never applied)',
      ns(
        { [NAMESPACE_FEDERATION_LABEL]: 'fed-a' },
        { [NAMESPACE_ENTITY_ANNOTATION]: 'fed-a' },
      ),
      /names another entity/,
    ],
  ])('does not bind %s', (_what, namespace, reason) => {
    const binding = namespaceBinding(namespace, entity);
    expect(binding.bound).toBe(false);
    expect(!binding.bound && binding.reason).toMatch(reason);
  });

  it('never repeats the values found on the namespace', () => {
    const binding = namespaceBinding(
      ns(
        { [NAMESPACE_FEDERATION_LABEL]: 'secret-federation' },
        { [NAMESPACE_ENTITY_ANNOTATION]: 'component:victims/secret-entity' },
      ),
      entity,
    );
    expect(JSON.stringify(binding)).not.toMatch(/secret|victims/);
  });
});

describe('isFullEntityRef', () => {
  it.each(['component:default/demo', 'Component:team-a/My_Fed.v2'])(
    'accepts %s',
    ref => expect(isFullEntityRef(ref)).toBe(true),
  );
  it.each([
    'demo',
    'default/demo',
    'component:demo',
    'component:Default/demo',
    'component:a/b,c',
  ])('rejects %s', ref => expect(isFullEntityRef(ref)).toBe(false));
});

describe('fleetPath', () => {
  it('encodes the page parameters', () => {
    expect(fleetPath()).toBe('/v1/reports');
    expect(fleetPath({ limit: 20, cursor: 'a b&c=d' })).toBe(
      '/v1/reports?limit=20&cursor=a+b%26c%3Dd',
    );
  });
});
