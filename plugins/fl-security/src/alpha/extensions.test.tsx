import { createExtensionTester } from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import type { Entity } from '@backstage/catalog-model';
import flSecurityPlugin from '../alpha';
import { flSecurityEntityCard, flSecurityEntityContent } from './extensions';
import { FL_ENTITY, SERVICE_ENTITY } from '../__testUtils__/fixtures';

const annotated = (annotations: Record<string, string>): Entity => ({
  ...SERVICE_ENTITY,
  metadata: { ...SERVICE_ENTITY.metadata, annotations },
});

describe('new frontend system extensions', () => {
  it('are provided by the default export of ./alpha under plugin id fl-security', () => {
    expect(flSecurityPlugin.pluginId).toBe('fl-security');
    expect(
      flSecurityPlugin.getExtension('entity-card:fl-security/overview'),
    ).toBeDefined();
    expect(
      flSecurityPlugin.getExtension('entity-content:fl-security/report'),
    ).toBeDefined();
    expect(flSecurityPlugin.getExtension('page:fl-security')).toBeDefined();
    expect(flSecurityPlugin.getExtension('api:fl-security')).toBeDefined();
  });

  it.each([
    ['card', flSecurityEntityCard, EntityCardBlueprint.dataRefs.filterFunction],
    [
      'tab',
      flSecurityEntityContent,
      EntityContentBlueprint.dataRefs.filterFunction,
    ],
  ] as const)(
    'show the %s only for FL entities',
    (_name, extension, filterRef) => {
      const filter = createExtensionTester(extension as any).get(
        filterRef as any,
      ) as ((entity: Entity) => boolean) | undefined;
      expect(filter).toBeDefined();
      expect(filter!(FL_ENTITY)).toBe(true);
      expect(filter!(SERVICE_ENTITY)).toBe(false);
      expect(filter!(annotated({ 'fl-security/enabled': 'true' }))).toBe(true);
      expect(filter!(annotated({ 'fl-security/enabled': 'false' }))).toBe(
        false,
      );
      expect(
        filter!(
          annotated({
            'backstage.io/kubernetes-id': 'billing',
            'fl-security/namespaces': 'site-a,site-b',
          }),
        ),
      ).toBe(true);
      // A Kubernetes id alone does not make an entity FL.
      expect(
        filter!(annotated({ 'backstage.io/kubernetes-id': 'billing' })),
      ).toBe(false);
    },
  );

  it('mounts the tab at fl-security titled "FL Security"', () => {
    const tester = createExtensionTester(flSecurityEntityContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'FL Security',
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('fl-security');
  });
});
