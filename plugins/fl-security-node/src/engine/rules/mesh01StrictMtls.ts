/**
 * MESH-01: where Istio is in use, a PeerAuthentication in STRICT mode covers
 * the aggregator's FL port and no DestinationRule disables mutual TLS
 * (DISABLE or SIMPLE) towards its Services. Skip without a mesh.
 */
import { exposureOf } from '../model/exposure';
import {
  downgradingDestinationRules,
  effectiveMtls,
  meshInUse,
} from '../model/mesh';
import { serviceDnsNames } from '../model/services';
import { describe, finding, workloadRef } from './helpers';
import { aggregatorPorts } from './reachabilityAnalysis';
import type { Finding, Rule } from './types';

export const mesh01StrictMtls: Rule = {
  id: 'MESH-01',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    const exposure = exposureOf(federation);
    for (const aggregator of federation.aggregators) {
      const resource = workloadRef(aggregator);
      const { index } = aggregator;
      const gap = index.gapFor('PeerAuthentication');
      const namespaces = federation.namespaces
        .filter(n => n.index === index)
        .map(n => n.name);
      if (!meshInUse(index, namespaces)) {
        findings.push(
          finding(
            'skip',
            resource,
            gap
              ? `No service mesh: ${gap.reason}.`
              : 'No service mesh is in use for the federation.',
          ),
        );
        continue;
      }
      if (gap?.status === 'error') {
        const permission = gap.missingPermission
          ? ` (missing permission: ${gap.missingPermission})`
          : '';
        findings.push(
          finding(
            'error',
            resource,
            `PeerAuthentications could not be read: ${gap.reason}${permission}.`,
          ),
        );
        continue;
      }
      const problems: string[] = [];
      const ports = aggregatorPorts(aggregator);
      for (const port of ports) {
        const mtls = effectiveMtls(aggregator, port);
        if (mtls.mode !== 'STRICT') {
          problems.push(
            `port ${port} accepts ${mtls.mode} mTLS${
              mtls.source
                ? ` (PeerAuthentication ${mtls.source.metadata.namespace}/${mtls.source.metadata.name})`
                : ' (no PeerAuthentication: Istio default PERMISSIVE)'
            }`,
          );
        }
        const hosts = exposure.services
          .filter(s => s.targets.includes(aggregator))
          .flatMap(s => [
            s.name,
            `${s.name}.${s.namespace}`,
            ...serviceDnsNames(s),
          ]);
        for (const rule of downgradingDestinationRules(index, hosts, port)) {
          problems.push(
            `DestinationRule ${rule.metadata.namespace}/${rule.metadata.name} sets a non-mutual TLS mode towards the aggregator`,
          );
        }
      }
      findings.push(
        problems.length
          ? finding(
              'fail',
              resource,
              `${describe(aggregator)}: ${[...new Set(problems)].join('; ')}.`,
            )
          : finding(
              'pass',
              resource,
              `${describe(
                aggregator,
              )} accepts only STRICT mesh mTLS on port(s) ${ports.join(', ')}.`,
            ),
      );
    }
    return findings;
  },
};
