/**
 * Seeds one local API server (packages/test-cluster) with one generated
 * federation per size: the steps of demo-cluster's seedFederation
 * (namespaces, then every other object, certificates issued as
 * cert-manager would, a token of the portal's ServiceAccount), plus the
 * Pods of every Deployment. Objects are applied by several clients at once
 * and certificates are issued once for all sizes: seedFederation applies
 * one object at a time and re-issues every Certificate of the cluster per
 * call, which for 1,000 participants takes minutes.
 */
import { performance } from 'node:perf_hooks';
import { Entity } from '@backstage/catalog-model';
import { requestServiceAccountToken } from '@fl-security/demo-cluster';
import { validateFederationSpec } from '@fl-security/plugin-fl-security-common';
import {
  entityAnnotations,
  generateFederationProject,
} from '@fl-security/plugin-fl-security-node';
import { TestCluster } from '@fl-security/test-cluster';
import { benchSpec } from '../lib/benchSpec';
import { progress } from '../lib/args';
import { podsOfDeployments } from './pods';
import { applyAll, applyFederation, issueAll } from '../lib/apply';

/** Clients applying objects at once (the API server has two cores too). */
const TOKEN_SECONDS = 6 * 3600;

export interface SeededSize {
  participants: number;
  entity: Entity;
  /** The portal ServiceAccount's token (generated RBAC only). */
  token: string;
  objects: number;
  pods: number;
  certificates: number;
}

export interface SeedTimes {
  applyMs: number;
  issueMs: number;
  podsMs: number;
  certificates: number;
}

export function federationName(participants: number): string {
  return `bench-${participants}`;
}

export async function seedSizes(
  cluster: TestCluster,
  sizes: readonly number[],
): Promise<{ sizes: SeededSize[]; times: SeedTimes }> {
  const projects = sizes.map(participants => {
    const validation = validateFederationSpec(
      benchSpec(federationName(participants), participants),
    );
    if (!validation.ok) throw new Error(validation.errors.join('; '));
    return {
      participants,
      project: generateFederationProject(validation.spec),
    };
  });
  const objects = projects.flatMap(
    p => p.project.objects as Array<{ kind: string }>,
  );

  let started = performance.now();
  await applyFederation(cluster, objects);
  const applyMs = performance.now() - started;
  progress(
    `applied ${objects.length} objects in ${(applyMs / 1000).toFixed(1)} s`,
  );

  started = performance.now();
  const certificates = await issueAll(cluster);
  const issueMs = performance.now() - started;
  progress(
    `issued ${certificates.issued.length} certificates in ${(
      issueMs / 1000
    ).toFixed(1)} s`,
  );

  started = performance.now();
  const pods = podsOfDeployments(objects);
  await applyAll(cluster, pods, 'pods', 'create');
  const podsMs = performance.now() - started;
  progress(`created ${pods.length} pods in ${(podsMs / 1000).toFixed(1)} s`);

  const seeded: SeededSize[] = [];
  for (const { participants, project } of projects) {
    const account = project.spec.portal.serviceAccount;
    const token = await requestServiceAccountToken(
      cluster,
      account.namespace,
      account.name,
      TOKEN_SECONDS,
    );
    const count = (kind: string, list: readonly unknown[] = project.objects) =>
      (list as Array<{ kind: string }>).filter(o => o.kind === kind).length;
    seeded.push({
      participants,
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: project.spec.name,
          namespace: 'default',
          annotations: entityAnnotations(project.spec),
        },
        spec: {
          type: 'federated-learning',
          lifecycle: 'experimental',
          owner: 'group:ml-platform',
        },
      },
      token,
      objects: project.objects.length,
      pods: count('Deployment'),
      certificates: count('Certificate'),
    });
  }
  return {
    sizes: seeded,
    times: {
      applyMs,
      issueMs,
      podsMs,
      certificates: certificates.issued.length,
    },
  };
}
