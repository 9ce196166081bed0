import fs from 'node:fs';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { parse } from 'yaml';

const EXAMPLE = path.resolve(
  __dirname,
  '../../../../../examples/federation.yaml',
);

/** examples/federation.yaml as written (federation demo-federation). */
export function exampleSpec(): any {
  return parse(fs.readFileSync(EXAMPLE, 'utf8'));
}

/**
 * The example federation under another name, with every namespace derived
 * from it, so several federations live side by side in one API server and
 * each test case breaks its own.
 */
export function renamedExampleSpec(name: string) {
  const spec = exampleSpec();
  spec.name = name;
  spec.aggregator.namespace = `${name}-aggregator`;
  spec.participants = spec.participants.map((p: { name: string }) => ({
    name: p.name,
    namespace: `${name}-${p.name}`,
  }));
  return spec;
}

/**
 * The catalog entity of a federation, as examples/entities.yaml writes it
 * plus `fl-security/namespaces` naming the participant sites, so the
 * backend reads every namespace of the federation (the portal's
 * ServiceAccount may not list namespaces).
 */
export function federationEntity(spec: {
  name: string;
  aggregator: { namespace: string };
  participants: Array<{ namespace: string }>;
}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: spec.name,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': spec.name,
        'backstage.io/kubernetes-namespace': spec.aggregator.namespace,
        'fl-security/namespaces': spec.participants
          .map(p => p.namespace)
          .join(','),
      },
    },
    spec: {
      type: 'federated-learning',
      lifecycle: 'experimental',
      owner: 'group:ml-platform',
    },
  };
}
