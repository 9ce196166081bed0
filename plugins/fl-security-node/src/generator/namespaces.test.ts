import {
  namespaceBinding,
  parseFederationSpec,
} from '@fl-security/plugin-fl-security-common';
import { generateFederationProject } from './generate';
import { smallSpec } from './__testUtils__/specs';

function namespacesOf(input: unknown) {
  const project = generateFederationProject(parseFederationSpec(input));
  return {
    spec: project.spec,
    namespaces: project.objects.filter(o => o.kind === 'Namespace'),
  };
}

describe('namespace binding', () => {
  it('binds every namespace of the federation to its Component', () => {
    const { spec, namespaces } = namespacesOf(smallSpec);
    expect(namespaces.map(n => n.metadata.name).sort()).toEqual(
      [
        spec.aggregator.namespace,
        ...spec.participants.map(p => p.namespace),
      ].sort(),
    );
    for (const namespace of namespaces) {
      expect(
        namespaceBinding(namespace, {
          entityRef: `component:default/${spec.name}`,
          federation: spec.name,
        }),
      ).toEqual({ bound: true });
      // Not to another entity that claims the same federation id.
      expect(
        namespaceBinding(namespace, {
          entityRef: `component:team-evil/${spec.name}`,
          federation: spec.name,
        }).bound,
      ).toBe(false);
    }
  });

  it('binds to portal.entityRef when the entity lives elsewhere', () => {
    const { namespaces } = namespacesOf({
      ...smallSpec,
      portal: { serviceAccount: {}, entityRef: 'component:ml-team/fed' },
    });
    expect(
      namespaces.map(n => n.metadata.annotations?.['fl-security/entity-ref']),
    ).toEqual(namespaces.map(() => 'component:ml-team/fed'));
  });

  it('rejects an entity ref that is not a full ref', () => {
    expect(() =>
      parseFederationSpec({
        ...smallSpec,
        portal: { serviceAccount: {}, entityRef: 'fed' },
      }),
    ).toThrow(/portal.entityRef: must be a full entity ref/);
  });
});
