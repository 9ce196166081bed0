/**
 * FL-03: Flower's in-pod APIs (ServerAppIo 9091 on the SuperLink,
 * ClientAppIo 9094 on SuperNodes) are exposed by no Service or Ingress; the
 * Control API (9093 before Flower 1.37) is not published outside the
 * cluster and only the declared admin namespace reaches it. From Flower 1.37
 * the Control API shares the SuperLink's one HTTP listener with the Fleet
 * API, so that listener must be bound to loopback (an in-pod gateway then
 * serves only the Fleet API on the fleet port).
 */
import { exposureOf } from '../model/exposure';
import { allowedSourcesOf, Member } from '../model/federation';
import {
  controlPort,
  FlowerProcess,
  internalPorts,
  superlinkHttpListener,
} from '../model/flower';
import { ingressReachability } from '../model/reachability';
import { targetPortOn } from '../model/services';
import { describe, finding, workloadRef } from './helpers';
import type { Finding, Rule } from './types';

const EXTERNAL_TYPES = new Set(['LoadBalancer', 'NodePort']);

const NOBODY = { namespaces: new Set<string>(), cidrs: [], invalid: [] };

/** The Control API on a network-bound listener that also serves the Fleet API. */
function sharedControlProblem(member: Member, process: FlowerProcess): string | undefined {
  const listener = superlinkHttpListener(process);
  if (!listener || listener.loopback) return undefined;
  const reach = ingressReachability(member, listener.port, new Set(), NOBODY);
  const who = reach.sources.map(s => s.label);
  return `flower-superlink serves its unauthenticated Control API on ${listener.host}:${listener.port}, the listener that carries the Fleet API${
    who.length ? ` (reachable from ${who.join(', ')})` : ''
  }: whoever reaches the participants' port can register node keys and start runs; bind --host 127.0.0.1 and serve the fleet port from an in-pod gateway that forwards only the Fleet API`;
}

export const fl03InternalApis: Rule = {
  id: 'FL-03',
  evaluate({ federation }) {
    const findings: Finding[] = [];
    const exposure = exposureOf(federation);
    for (const member of federation.members) {
      if (member.flower.length === 0) continue;
      const resource = workloadRef(member);
      const internal = new Set(member.flower.flatMap(internalPorts));
      const control = new Set(
        member.flower
          .filter(p => p.role === 'aggregator')
          .map(controlPort)
          .filter((p): p is number => p !== undefined),
      );
      const problems: string[] = member.flower
        .map(process => sharedControlProblem(member as Member, process))
        .filter((p): p is string => p !== undefined);
      const loopbackControl = member.flower.some(
        process => superlinkHttpListener(process)?.loopback,
      );
      for (const service of exposure.services) {
        if (!service.targets.includes(member)) continue;
        for (const port of service.ports) {
          const target = targetPortOn(port, member.workload);
          if (target === undefined) continue;
          if (internal.has(target)) {
            problems.push(
              `Service ${service.namespace}/${service.name} port ${port.port} exposes internal API port ${target}`,
            );
          } else if (control.has(target) && EXTERNAL_TYPES.has(service.type)) {
            problems.push(
              `${service.type} Service ${service.namespace}/${service.name} publishes the Control API (port ${target}) outside the cluster`,
            );
          }
          const routed = [
            ...exposure.ingresses
              .filter(i =>
                i.backendPorts.some(
                  b =>
                    b.service === service &&
                    (b.port === port.port || b.port === port.name),
                ),
              )
              .map(i => `Ingress ${i.namespace}/${i.name}`),
            ...exposure.routes
              .filter(r => r.services.includes(service))
              .map(r => `${r.kind} ${r.namespace}/${r.name}`),
          ];
          if (routed.length && (internal.has(target) || control.has(target))) {
            problems.push(
              `${routed.join(', ')} route(s) to ${
                internal.has(target) ? 'internal API' : 'Control API'
              } port ${target} via Service ${service.name}`,
            );
          }
        }
      }
      const admin =
        member.role === 'aggregator'
          ? allowedSourcesOf(member).adminNamespace
          : undefined;
      for (const port of control) {
        const reach = ingressReachability(member as Member, port, new Set(), {
          namespaces: new Set(admin ? [admin] : []),
          cidrs: [],
          invalid: [],
        });
        const extra = reach.sources.filter(s => !s.expected);
        if (extra.length) {
          problems.push(
            `Control API port ${port} is reachable from ${extra
              .map(s => s.label)
              .join(', ')} (${
              admin
                ? `only namespace/${admin} should`
                : 'no admin namespace is declared in fl-security/admin-namespace'
            })`,
          );
        }
      }
      findings.push(
        problems.length
          ? finding(
              'fail',
              resource,
              `${describe(member)}: ${problems.join('; ')}.`,
            )
          : finding(
              'pass',
              resource,
              `${describe(member)}: internal Flower APIs (${[...internal].join(
                ', ',
              )}) are not exposed${
                loopbackControl
                  ? '; the Control API listens on loopback only'
                  : ''
              }${
                control.size
                  ? ` and the Control API (${[...control].join(
                      ', ',
                    )}) is limited to ${
                      admin ? `namespace/${admin}` : 'nobody'
                    }`
                  : ''
              }.`,
            ),
      );
    }
    return findings;
  },
};
