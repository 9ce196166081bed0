/**
 * MESH-01: where Istio is in use, a PeerAuthentication in STRICT mode covers
 * the aggregator's FL port and no DestinationRule disables mutual TLS
 * (DISABLE or SIMPLE) towards its Services. Skip without a mesh.
 */
import { exposureOf } from '../model/exposure';
import type { Member } from '../model/federation';
import {
  downgradingDestinationRules,
  effectiveMtls,
  meshInUse,
} from '../model/mesh';
import { serviceDnsNames } from '../model/services';
import {
  RuleContext,
  defineRule,
  each,
  error,
  fail,
  gapVerdict,
  pass,
  skip,
} from '../ruleKit';
import { describe } from './shared/describe';
import { aggregatorPorts } from './shared/reachability';
import { aggregators } from './shared/subjects';

/** Why mTLS towards the aggregator is not STRICT on each of its FL ports. */
function mtlsProblems(
  aggregator: Member,
  { federation }: RuleContext,
): string[] {
  const problems: string[] = [];
  const hosts = exposureOf(federation)
    .services.filter(s => s.targets.includes(aggregator))
    .flatMap(s => [s.name, `${s.name}.${s.namespace}`, ...serviceDnsNames(s)]);
  for (const port of aggregatorPorts(aggregator)) {
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
    for (const rule of downgradingDestinationRules(
      aggregator.index,
      hosts,
      port,
    )) {
      problems.push(
        `DestinationRule ${rule.metadata.namespace}/${rule.metadata.name} sets a non-mutual TLS mode towards the aggregator`,
      );
    }
  }
  return problems;
}

function checkAggregator(aggregator: Member, context: RuleContext) {
  const { index } = aggregator;
  const gap = index.gapFor('PeerAuthentication');
  const namespaces = context.federation.namespaces
    .filter(n => n.index === index)
    .map(n => n.name);
  if (!meshInUse(index, namespaces))
    return skip(
      gap
        ? `No service mesh: ${gap.reason}.`
        : 'No service mesh is in use for the federation.',
    );
  if (gap?.status === 'error')
    return error(
      `${gapVerdict(gap, 'PeerAuthentications could not be read').message}.`,
    );
  const problems = mtlsProblems(aggregator, context);
  return problems.length
    ? fail(`${describe(aggregator)}: ${[...new Set(problems)].join('; ')}.`)
    : pass(
        `${describe(
          aggregator,
        )} accepts only STRICT mesh mTLS on port(s) ${aggregatorPorts(
          aggregator,
        ).join(', ')}.`,
      );
}

export const mesh01StrictMtls = defineRule({
  id: 'MESH-01',
  checks: [each(aggregators, checkAggregator)],
});
