/**
 * Validates every generated object against the published schemas: the
 * Kubernetes OpenAPI and the cert-manager, Gateway API and Istio CRDs, as
 * compiled by the kubernetes-models packages. (Server-side dry run against a
 * real kube-apiserver is in the scaffolder module's tests.)
 */
import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as certManager from '@kubernetes-models/cert-manager/cert-manager.io/v1';
import * as gatewayV1 from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';
import * as gatewayV1alpha2 from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2';
import * as istioSecurity from '@kubernetes-models/istio/security.istio.io/v1';
import * as istioNetworking from '@kubernetes-models/istio/networking.istio.io/v1';
import { parseFederationSpec } from '@fl-security/plugin-fl-security-common';
import { generateFederationProject } from './generate';
import { specVariants } from './__testUtils__/specs';

type ModelClass = new (data: any) => { validate(): void };

const MODULES: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'networking.k8s.io/v1': networking,
  'rbac.authorization.k8s.io/v1': rbac,
  'cert-manager.io/v1': certManager,
  'gateway.networking.k8s.io/v1': gatewayV1,
  'gateway.networking.k8s.io/v1alpha2': gatewayV1alpha2,
  'security.istio.io/v1': istioSecurity,
  'networking.istio.io/v1': istioNetworking,
};

/** No published schema package exists for the Vault Secrets Operator CRDs. */
const WITHOUT_SCHEMA = new Set([
  'secrets.hashicorp.com/v1beta1/VaultAuth',
  'secrets.hashicorp.com/v1beta1/VaultConnection',
  'secrets.hashicorp.com/v1beta1/VaultPKISecret',
]);

function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  return MODULES[apiVersion]?.[kind] as ModelClass | undefined;
}

describe('published schemas', () => {
  it('reject an invalid object (the validator is live)', () => {
    const Deployment = modelFor('apps/v1', 'Deployment')!;
    expect(() => new Deployment({ metadata: { name: 'x' }, spec: { replicas: 'one' } }).validate()).toThrow();
    const Certificate = modelFor('cert-manager.io/v1', 'Certificate')!;
    expect(() =>
      new Certificate({ metadata: { name: 'x' }, spec: { secretName: 's', issuerRef: { name: 'i' }, privateKey: { algorithm: 'DSA' } } }).validate(),
    ).toThrow();
  });

  it.each(Object.entries(specVariants))('accept every object of "%s"', (_label, input) => {
    const project = generateFederationProject(parseFederationSpec(input));
    const unvalidated: string[] = [];
    for (const object of project.objects) {
      const Model = modelFor(object.apiVersion, object.kind);
      const id = `${object.apiVersion}/${object.kind}`;
      if (!Model) {
        unvalidated.push(id);
        continue;
      }
      try {
        new Model(object).validate();
      } catch (error) {
        throw new Error(`${id} ${object.metadata.namespace ?? ''}/${object.metadata.name}: ${(error as Error).message}`);
      }
    }
    for (const id of unvalidated) expect(WITHOUT_SCHEMA).toContain(id);
  });
});
