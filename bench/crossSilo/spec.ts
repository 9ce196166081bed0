/**
 * The cross-silo bench federation: benchSpec's shape with the aggregator in
 * cluster `hub` and each participant in its own site cluster, reached
 * through the external entry (examples/federation-cross-silo.yaml, scaled).
 * Half the sites take the CA as a ConfigMap, half through trust-manager.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  FederationSpec,
  validateFederationSpec,
} from '@fl-security/plugin-fl-security-common';
import { benchSpec } from '../lib/benchSpec';

export const HUB = 'hub';
const EXAMPLE = path.resolve(
  __dirname,
  '../../examples/federation-cross-silo.yaml',
);

export function siteCluster(index: number): string {
  return `site-${String(index).padStart(4, '0')}`;
}

export function crossSiloSpec(
  name: string,
  sites: number,
  caBundle?: string[],
): FederationSpec {
  const example = parse(fs.readFileSync(EXAMPLE, 'utf8'));
  const base = benchSpec(name, sites);
  const validation = validateFederationSpec({
    ...base,
    aggregator: { cluster: HUB },
    participants: base.participants.map((participant, i) => ({
      ...participant,
      cluster: siteCluster(i),
      caDistribution: i % 2 === 0 ? 'configmap' : 'trust-manager',
    })),
    // The example's public CA certificate (its key was discarded) until the
    // issued federation CA is copied in.
    tls: { ...example.tls, ...(caBundle ? { caBundle } : {}) },
    network: {
      ...base.network,
      externalAddresses: example.network.externalAddresses,
      externalPort: example.network.externalPort,
    },
  });
  if (!validation.ok) throw new Error(validation.errors.join('; '));
  return validation.spec;
}

export function singleClusterSpec(
  name: string,
  participants: number,
): FederationSpec {
  const validation = validateFederationSpec(benchSpec(name, participants));
  if (!validation.ok) throw new Error(validation.errors.join('; '));
  return validation.spec;
}
