import { missingKubernetesAnnotation } from './entity';
import { FL_ENTITY, SERVICE_ENTITY } from '../testing/fixtures';

// isFlSecurityAvailable is covered through the extensions' filters
// (alpha/extensions.test.tsx); here the annotation check.
describe('missingKubernetesAnnotation', () => {
  it('names backstage.io/kubernetes-id when the entity lacks it', () => {
    expect(missingKubernetesAnnotation(SERVICE_ENTITY)).toBe(
      'backstage.io/kubernetes-id',
    );
    expect(
      missingKubernetesAnnotation({
        ...FL_ENTITY,
        metadata: {
          name: 'x',
          annotations: { 'backstage.io/kubernetes-id': '' },
        },
      }),
    ).toBe('backstage.io/kubernetes-id');
  });

  it('is undefined when the annotation is set', () => {
    expect(missingKubernetesAnnotation(FL_ENTITY)).toBeUndefined();
  });
});
