import { missingKubernetesAnnotation, workloadSelector } from './entity';
import { FL_ENTITY, SERVICE_ENTITY } from '../__testUtils__/fixtures';

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

  it('is undefined when the annotation or a label selector is set', () => {
    expect(missingKubernetesAnnotation(FL_ENTITY)).toBeUndefined();
    expect(
      missingKubernetesAnnotation({
        ...FL_ENTITY,
        metadata: {
          name: 'x',
          annotations: { 'backstage.io/kubernetes-label-selector': 'app=fl' },
        },
      }),
    ).toBeUndefined();
  });
});

describe('workloadSelector', () => {
  it('is the kubernetes-id label of the federation by default', () => {
    expect(workloadSelector(FL_ENTITY, 'mnist-fl')).toBe(
      'backstage.io/kubernetes-id=mnist-fl',
    );
  });

  it('is the label selector annotation when the entity has one', () => {
    const entity = {
      ...FL_ENTITY,
      metadata: {
        name: 'x',
        annotations: {
          'backstage.io/kubernetes-label-selector': 'app=fl,tier in (a)',
        },
      },
    };
    expect(workloadSelector(entity, 'x')).toBe('app=fl,tier in (a)');
  });
});
