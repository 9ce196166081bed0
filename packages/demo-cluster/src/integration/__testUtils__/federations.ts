import fs from 'node:fs';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { validateFederationSpec } from '@fl-security/plugin-fl-security-common';
import { entityAnnotations } from '@fl-security/plugin-fl-security-node';
import { parse, parseAllDocuments } from 'yaml';

/** The repository's root directory. */
export const REPO_ROOT = path.resolve(__dirname, '../../../../..');
const EXAMPLES = path.join(REPO_ROOT, 'examples');

/**
 * examples/federation.yaml (federation demo-federation) with its images
 * pinned by digest. The test control plane runs no kubelet and pulls no
 * image, so these digests stand for the ones a user's registry serves; with
 * them the example passes every rule, IMG-01 included.
 */
export function exampleSpec(): any {
  const spec = parse(fs.readFileSync(path.join(EXAMPLES, 'federation.yaml'), 'utf8'));
  const digests = {
    superlink: `sha256:${'a1'.repeat(32)}`,
    supernode: `sha256:${'b2'.repeat(32)}`,
    fleetGateway: `sha256:${'c3'.repeat(32)}`,
  };
  return { ...spec, images: { ...spec.images, digests } };
}

/** The Component `name` of examples/entities.yaml (what `make start` shows). */
export function exampleEntity(name: string): Entity {
  const entities = parseAllDocuments(
    fs.readFileSync(path.join(EXAMPLES, 'entities.yaml'), 'utf8'),
  ).map(document => document.toJS() as Entity);
  const entity = entities.find(
    e => e?.kind === 'Component' && e.metadata.name === name,
  );
  if (!entity)
    throw new Error(`examples/entities.yaml has no Component ${name}`);
  return entity;
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
  return spec as {
    name: string;
    aggregator: { namespace: string };
    participants: Array<{ name: string; namespace: string }>;
  };
}

/**
 * The catalog entity of a federation with the annotations the generator
 * computes for it (as the FL project template writes catalog-info.yaml):
 * the id and every namespace, so the backend reads participant sites too.
 */
export function federationEntity(specInput: unknown): Entity {
  const validation = validateFederationSpec(specInput);
  if (!validation.ok) throw new Error(validation.errors.join('\n'));
  const { spec } = validation;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: spec.name,
      namespace: 'default',
      annotations: entityAnnotations(spec),
    },
    spec: {
      type: 'federated-learning',
      lifecycle: 'experimental',
      owner: 'group:ml-platform',
    },
  };
}
