/**
 * Cross-field checks of a parsed spec: what the schema alone cannot say
 * (unique names and namespaces, a provider and the fields it needs, key sizes
 * per algorithm, lifetimes against renewal windows, exposure against mesh).
 */
import {
  KEY_SIZES,
  MAX_DURATION_SECONDS,
  MIN_DURATION_SECONDS,
  MIN_RENEW_BEFORE_SECONDS,
  RESERVED_NAMESPACES,
  VAULT_TLS_PROVIDERS,
} from './specConstants';
import { parseDurationSeconds } from './specFormats';
import { aggregatorNamespace, isRemote, participantNamespace } from './specNamespaces';
import type { ParsedSpec } from './specSchema';

export type Problem = { path: (string | number)[]; message: string };

function checkParticipants(spec: ParsedSpec, problems: Problem[]) {
  const seenNames = new Map<string, number>();
  const seenNamespaces = new Map<string, string>();
  const reserved = new Set([
    ...RESERVED_NAMESPACES,
    spec.tls.certManagerNamespace,
    spec.portal.serviceAccount.namespace,
    spec.network.ingressControllerNamespace,
    spec.network.dnsNamespace,
  ]);
  const aggNs = aggregatorNamespace(spec);
  if (reserved.has(aggNs)) {
    problems.push({
      path: ['aggregator', 'namespace'],
      message: `must be a dedicated namespace, not "${aggNs}"`,
    });
  }
  seenNamespaces.set(aggNs, 'the aggregator');
  spec.participants.forEach((participant, index) => {
    const first = seenNames.get(participant.name);
    if (first !== undefined) {
      problems.push({
        path: ['participants', index, 'name'],
        message: `duplicate participant name "${participant.name}" (also participants[${first}])`,
      });
      return;
    }
    seenNames.set(participant.name, index);
    const ns = participantNamespace(spec, index);
    const nsPath = ['participants', index, 'namespace'];
    if (reserved.has(ns)) {
      problems.push({ path: nsPath, message: `must be a dedicated namespace, not "${ns}"` });
    } else if (seenNamespaces.has(ns)) {
      problems.push({
        path: nsPath,
        message: `namespace "${ns}" is already used by ${seenNamespaces.get(ns)}`,
      });
    } else {
      seenNamespaces.set(ns, `participant "${participant.name}"`);
    }
  });
}

function checkTls(spec: ParsedSpec, problems: Problem[]) {
  const { tls } = spec;
  const sizes = KEY_SIZES[tls.keyAlgorithm];
  if (tls.keySize !== undefined && !sizes.includes(tls.keySize)) {
    problems.push({
      path: ['tls', 'keySize'],
      message: `must be one of ${sizes.join(', ')} for ${tls.keyAlgorithm}`,
    });
  }
  const duration = parseDurationSeconds(tls.duration);
  const renewBefore = parseDurationSeconds(tls.renewBefore);
  if (duration !== undefined && duration < MIN_DURATION_SECONDS) {
    problems.push({ path: ['tls', 'duration'], message: 'must be at least 1h' });
  }
  if (duration !== undefined && duration > MAX_DURATION_SECONDS) {
    problems.push({ path: ['tls', 'duration'], message: 'must be at most 8760h (one year)' });
  }
  if (renewBefore !== undefined && renewBefore < MIN_RENEW_BEFORE_SECONDS) {
    problems.push({ path: ['tls', 'renewBefore'], message: 'must be at least 5m' });
  }
  if (duration !== undefined && renewBefore !== undefined && renewBefore >= duration) {
    problems.push({ path: ['tls', 'renewBefore'], message: 'must be shorter than tls.duration' });
  }
  if (tls.provider === 'cert-manager-issuer' && !tls.issuer) {
    problems.push({
      path: ['tls', 'issuer'],
      message: 'is required when tls.provider is cert-manager-issuer',
    });
  }
  if (tls.provider !== 'cert-manager-issuer' && tls.issuer) {
    problems.push({
      path: ['tls', 'issuer'],
      message: 'is only allowed when tls.provider is cert-manager-issuer',
    });
  }
  const usesVault = VAULT_TLS_PROVIDERS.includes(tls.provider);
  if (usesVault && !tls.vault) {
    problems.push({ path: ['tls', 'vault'], message: `is required when tls.provider is ${tls.provider}` });
  }
  if (!usesVault && tls.vault) {
    problems.push({
      path: ['tls', 'vault'],
      message: 'is only allowed when tls.provider is a Vault provider',
    });
  }
  const egress = tls.vault?.egress;
  if (tls.provider === 'vault-agent' && tls.vault && !egress?.namespace && !egress?.cidrs?.length) {
    problems.push({
      path: ['tls', 'vault', 'egress'],
      message: 'must name the Vault namespace or CIDRs: the agent sidecar needs an egress rule',
    });
  }
  if (tls.provider !== 'vault-agent' && egress) {
    problems.push({
      path: ['tls', 'vault', 'egress'],
      message: 'is only allowed when tls.provider is vault-agent',
    });
  }
}

function checkNetwork(spec: ParsedSpec, problems: Problem[]) {
  const { network } = spec;
  if (network.exposure !== 'none' && !network.externalHost) {
    problems.push({
      path: ['network', 'externalHost'],
      message: `is required when network.exposure is ${network.exposure}`,
    });
  }
  if (network.exposure === 'none' && network.externalHost) {
    problems.push({
      path: ['network', 'externalHost'],
      message: 'is only allowed when network.exposure is ingress-nginx or gateway-api',
    });
  }
  if (network.exposure === 'gateway-api' && !network.gateway) {
    problems.push({
      path: ['network', 'gateway'],
      message: 'is required when network.exposure is gateway-api',
    });
  }
  if (network.exposure !== 'gateway-api' && network.gateway) {
    problems.push({
      path: ['network', 'gateway'],
      message: 'is only allowed when network.exposure is gateway-api',
    });
  }
  if (spec.mesh === 'istio' && network.exposure === 'ingress-nginx') {
    problems.push({
      path: ['mesh'],
      message:
        'istio STRICT mTLS rejects passthrough traffic from ingress-nginx: use network.exposure gateway-api (Istio gateway) or none',
    });
  }
}

/**
 * Clusters: a participant may name its own cluster once the aggregator names
 * one. Sites in another cluster reach the aggregator only through its
 * external entry, so that entry, its addresses and the trust they receive
 * must be declared; the fields that only serve them are rejected otherwise.
 */
function checkClusters(spec: ParsedSpec, problems: Problem[]) {
  const home = spec.aggregator.cluster;
  const distributions = new Map<string, { value: string; index: number }>();
  spec.participants.forEach((participant, index) => {
    if (participant.cluster !== undefined && home === undefined) {
      problems.push({
        path: ['participants', index, 'cluster'],
        message: 'needs aggregator.cluster: name the aggregator\'s cluster too',
      });
      return;
    }
    const remote = isRemote(spec, index);
    if (!remote) {
      if (participant.caDistribution !== undefined) {
        problems.push({
          path: ['participants', index, 'caDistribution'],
          message: 'is only allowed for a participant in another cluster than the aggregator',
        });
      }
      return;
    }
    const value = participant.caDistribution ?? 'configmap';
    const seen = distributions.get(participant.cluster!);
    if (seen && seen.value !== value) {
      problems.push({
        path: ['participants', index, 'caDistribution'],
        message: `must match participants[${seen.index}] (same cluster "${participant.cluster}"): ${seen.value}`,
      });
    } else if (!seen) {
      distributions.set(participant.cluster!, { value, index });
    }
  });
  const crossSilo = spec.participants.some((_p, index) => isRemote(spec, index));
  const { network, tls } = spec;
  if (crossSilo) {
    if (network.exposure === 'none') {
      problems.push({
        path: ['network', 'exposure'],
        message:
          'must be ingress-nginx or gateway-api when a participant runs in another cluster (sites reach the aggregator through its external host)',
      });
    }
    if (!network.externalAddresses) {
      problems.push({
        path: ['network', 'externalAddresses'],
        message:
          'is required when a participant runs in another cluster: the sites\' egress allows only these addresses',
      });
    }
    if (spec.mesh === 'istio') {
      problems.push({
        path: ['mesh'],
        message: 'istio is not supported when a participant runs in another cluster (no multi-cluster mesh)',
      });
    }
  } else {
    const onlyCrossSilo = 'is only allowed when a participant runs in another cluster than the aggregator';
    if (network.externalAddresses) problems.push({ path: ['network', 'externalAddresses'], message: onlyCrossSilo });
    if (network.externalPort !== undefined) problems.push({ path: ['network', 'externalPort'], message: onlyCrossSilo });
    if (tls.caBundle) problems.push({ path: ['tls', 'caBundle'], message: onlyCrossSilo });
  }
  const seenCas = new Map<string, number>();
  (tls.caBundle ?? []).forEach((ca, index) => {
    const first = seenCas.get(ca);
    if (first !== undefined) {
      problems.push({ path: ['tls', 'caBundle', index], message: `duplicates tls.caBundle[${first}]` });
    } else {
      seenCas.set(ca, index);
    }
  });
}

export function crossFieldProblems(spec: ParsedSpec): Problem[] {
  const problems: Problem[] = [];
  checkParticipants(spec, problems);
  checkClusters(spec, problems);
  checkTls(spec, problems);
  checkNetwork(spec, problems);
  return problems;
}
