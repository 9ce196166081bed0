/**
 * FL-03: Flower's in-pod APIs (ServerAppIo 9091 on the SuperLink,
 * ClientAppIo 9094 on SuperNodes) are exposed by no Service or Ingress; the
 * Control API (9093 before Flower 1.37) is not published outside the
 * cluster and only the declared admin namespace reaches it. From Flower 1.37
 * the Control API shares the SuperLink's one HTTP listener with the Fleet
 * API, so that listener must be bound to loopback (an in-pod gateway then
 * serves only the Fleet API on the fleet port).
 */
import { Exposure, ExposedService, exposureOf } from '../model/exposure';
import { allowedSourcesOf, Member } from '../model/federation';
import {
  controlPort,
  FlowerProcess,
  internalPorts,
  superlinkHttpListener,
} from '../model/flower';
import {
  checkGatewayConfig,
  gatewayConfigText,
  haproxyContainers,
} from '../model/fleetGateway';
import { ingressReachability } from '../model/reachability';
import { targetPortOn } from '../model/services';
import { RuleContext, defineRule, each, error, fail, pass } from '../ruleKit';
import { describe } from './shared/describe';
import { members } from './shared/subjects';

const EXTERNAL_TYPES = new Set(['LoadBalancer', 'NodePort']);

const NOBODY = { namespaces: new Set<string>(), cidrs: [], invalid: [] };

/** The Control API on a network-bound listener that also serves the Fleet API. */
function sharedControlProblem(
  member: Member,
  process: FlowerProcess,
): string | undefined {
  const listener = superlinkHttpListener(process);
  if (!listener || listener.loopback) return undefined;
  const reach = ingressReachability(member, listener.port, new Set(), NOBODY);
  const who = reach.sources.map(s => s.label);
  return `flower-superlink serves its unauthenticated Control API on ${
    listener.host
  }:${listener.port}, the listener that carries the Fleet API${
    who.length ? ` (reachable from ${who.join(', ')})` : ''
  }: whoever reaches the participants' port can register node keys and start runs; bind --host 127.0.0.1 and serve the fleet port from an in-pod gateway that forwards only the Fleet API`;
}

/** The Flower API ports of a member: internal (never exposed) and Control (admin only). */
interface ApiPorts {
  internal: Set<number>;
  control: Set<number>;
}

function apiPortsOf(member: Member): ApiPorts {
  return {
    internal: new Set(member.flower.flatMap(internalPorts)),
    control: new Set(
      member.flower
        .filter(p => p.role === 'aggregator')
        .map(controlPort)
        .filter((p): p is number => p !== undefined),
    ),
  };
}

/** Ingresses and routes sending traffic to one port of a Service. */
function routedTo(
  exposure: Exposure,
  service: ExposedService,
  port: ExposedService['ports'][number],
): string[] {
  return [
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
}

/** Services (and what routes to them) that expose an internal or Control API port. */
function serviceProblems(
  member: Member,
  exposure: Exposure,
  { internal, control }: ApiPorts,
): string[] {
  const problems: string[] = [];
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
      const routed = routedTo(exposure, service, port);
      if (routed.length && (internal.has(target) || control.has(target))) {
        problems.push(
          `${routed.join(', ')} route(s) to ${
            internal.has(target) ? 'internal API' : 'Control API'
          } port ${target} via Service ${service.name}`,
        );
      }
    }
  }
  return problems;
}

/** Who else than the admin namespace reaches the (legacy) Control API ports. */
function controlReachProblems(
  member: Member,
  control: Set<number>,
  admin: string | undefined,
): string[] {
  const problems: string[] = [];
  for (const port of control) {
    const reach = ingressReachability(member, port, new Set(), {
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
  return problems;
}

/**
 * What the fleet gateways (HAProxy) in front of a loopback SuperLink let
 * through, from their haproxy.cfg: problems fail, the unreadable make the
 * rule unable to pass.
 */
function gatewayFindings(member: Member): {
  problems: string[];
  unknown: string[];
  passed: string[];
} {
  const out = {
    problems: [] as string[],
    unknown: [] as string[],
    passed: [] as string[],
  };
  const loopback = member.flower.some(
    process => superlinkHttpListener(process)?.loopback,
  );
  if (member.role !== 'aggregator' || !loopback) return out;
  for (const { container, configPath } of haproxyContainers(member.workload)) {
    const read = gatewayConfigText(
      member.index,
      member.workload,
      container,
      configPath,
    );
    if ('error' in read) {
      out.unknown.push(`fleet gateway ${container.name}: ${read.error}`);
      continue;
    }
    const verdict = checkGatewayConfig(read.text);
    const text = `fleet gateway ${container.name} (${configPath}): ${verdict.text}`;
    if (verdict.status === 'fail') out.problems.push(text);
    else if (verdict.status === 'unknown') out.unknown.push(text);
    else out.passed.push(text);
  }
  return out;
}

function checkMember(member: Member, { federation }: RuleContext) {
  if (member.flower.length === 0) return [];
  const ports = apiPortsOf(member);
  const admin =
    member.role === 'aggregator'
      ? allowedSourcesOf(member).adminNamespace
      : undefined;
  const problems = [
    ...member.flower
      .map(process => sharedControlProblem(member, process))
      .filter((p): p is string => p !== undefined),
    ...serviceProblems(member, exposureOf(federation), ports),
    ...controlReachProblems(member, ports.control, admin),
  ];
  const gateways = gatewayFindings(member);
  problems.push(...gateways.problems);
  if (problems.length)
    return fail(`${describe(member)}: ${problems.join('; ')}.`);
  if (gateways.unknown.length)
    return error(
      `${describe(
        member,
      )}: what reaches the SuperLink through its fleet gateway could not be evaluated: ${gateways.unknown.join(
        '; ',
      )}.`,
    );
  const loopbackControl = member.flower.some(
    process => superlinkHttpListener(process)?.loopback,
  );
  return pass(
    `${describe(member)}: internal Flower APIs (${[...ports.internal].join(
      ', ',
    )}) are not exposed${
      loopbackControl ? '; the Control API listens on loopback only' : ''
    }${gateways.passed.length ? `; ${gateways.passed.join('; ')}` : ''}${
      ports.control.size
        ? ` and the Control API (${[...ports.control].join(
            ', ',
          )}) is limited to ${admin ? `namespace/${admin}` : 'nobody'}`
        : ''
    }.`,
  );
}

export const fl03InternalApis = defineRule({
  id: 'FL-03',
  checks: [each(members, checkMember)],
});
