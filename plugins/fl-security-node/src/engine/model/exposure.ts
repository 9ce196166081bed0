/**
 * How a federation is exposed: Services selecting its pods, Ingresses and
 * Gateway API routes whose backends are those Services.
 */
import { KUBERNETES_ID_LABEL } from '@fl-security/plugin-fl-security-common';
import type { KubeObject } from '../types';
import type { ClusterIndex } from './clusterIndex';
import type { Federation, Member } from './federation';
import {
  Json,
  annotationsOf,
  labelsOf,
  namespaceOf,
  num,
  record,
  records,
  str,
  strings,
} from './objects';
import { ServiceInfo, serviceInfo, serviceSelects } from './services';

export interface ExposedService extends ServiceInfo {
  index: ClusterIndex;
  /** Federation members the Service selects. */
  targets: Member[];
}

export interface IngressTls {
  hosts: readonly string[];
  secretName?: string;
}

export interface ExposedIngress {
  index: ClusterIndex;
  object: KubeObject;
  namespace: string;
  name: string;
  /** Hosts of rules routing to the federation ('' = rule or default backend without host). */
  hosts: string[];
  services: ExposedService[];
  /** Backend service ports as written (number or name). */
  backendPorts: Array<{
    service: ExposedService;
    port: number | string | undefined;
  }>;
  tls: IngressTls[];
  annotations: Record<string, string>;
}

export interface GatewayListener {
  gateway: KubeObject;
  name: string;
  protocol: string;
  port?: number;
  hostname?: string;
  tlsMode?: string;
  certificateRefs: Array<{ namespace: string; name: string; kind: string }>;
}

export interface ExposedRoute {
  index: ClusterIndex;
  object: KubeObject;
  kind: string;
  namespace: string;
  name: string;
  hostnames: readonly string[];
  services: ExposedService[];
  /** Listeners of the parent Gateways (empty when the Gateway is not in the snapshot). */
  listeners: GatewayListener[];
  /** parentRefs whose Gateway is not in the snapshot. */
  missingGateways: string[];
}

export interface Exposure {
  services: ExposedService[];
  ingresses: ExposedIngress[];
  routes: ExposedRoute[];
}

export const ROUTE_KINDS = ['TLSRoute', 'HTTPRoute', 'GRPCRoute', 'TCPRoute'];

function exposedServices(federation: Federation): ExposedService[] {
  const out: ExposedService[] = [];
  const indexes = new Set(federation.members.map(m => m.index));
  for (const index of indexes) {
    const members = federation.members.filter(m => m.index === index);
    const namespaces = new Set(members.map(m => m.workload.namespace));
    for (const service of index.ofKind('Service')) {
      if (!namespaces.has(namespaceOf(service) ?? '')) continue;
      const targets = members.filter(m => serviceSelects(service, m.workload));
      if (targets.length > 0)
        out.push({ ...serviceInfo(service), index, targets });
    }
  }
  return out;
}

function ingressBackends(
  spec: Json,
): Array<{ host: string; name?: string; port?: number | string }> {
  const backendOf = (backend: unknown) => {
    const service = record(record(backend).service);
    const port = record(service.port);
    return {
      name: str(service.name),
      port: num(port.number) ?? str(port.name),
    };
  };
  const out: Array<{ host: string; name?: string; port?: number | string }> =
    [];
  if (spec.defaultBackend)
    out.push({ host: '', ...backendOf(spec.defaultBackend) });
  for (const rule of records(spec.rules)) {
    const host = str(rule.host) ?? '';
    const paths = records(record(rule.http).paths);
    for (const path of paths) out.push({ host, ...backendOf(path.backend) });
  }
  return out;
}

function belongsByLabel(object: KubeObject, federation: Federation): boolean {
  return labelsOf(object)[KUBERNETES_ID_LABEL] === federation.name;
}

function exposedIngresses(
  federation: Federation,
  services: ExposedService[],
): ExposedIngress[] {
  const out: ExposedIngress[] = [];
  const indexes = new Set(federation.members.map(m => m.index));
  for (const index of indexes) {
    for (const ingress of index.ofKind('Ingress')) {
      const namespace = namespaceOf(ingress) ?? 'default';
      const spec = record(ingress.spec);
      const backends = ingressBackends(spec);
      const matched = backends.flatMap(b => {
        const service = services.find(
          s =>
            s.index === index && s.namespace === namespace && s.name === b.name,
        );
        return service ? [{ ...b, service }] : [];
      });
      if (matched.length === 0 && !belongsByLabel(ingress, federation))
        continue;
      const hosts = matched.length
        ? [...new Set(matched.map(b => b.host))]
        : [...new Set(backends.map(b => b.host))];
      out.push({
        index,
        object: ingress,
        namespace,
        name: ingress.metadata.name,
        hosts,
        services: [...new Set(matched.map(b => b.service))],
        backendPorts: matched.map(b => ({ service: b.service, port: b.port })),
        tls: records(spec.tls).map(tls => ({
          hosts: strings(tls.hosts),
          secretName: str(tls.secretName),
        })),
        annotations: annotationsOf(ingress),
      });
    }
  }
  return out;
}

function listenersOf(
  gateway: KubeObject,
  sectionName?: string,
): GatewayListener[] {
  const gwNamespace = namespaceOf(gateway) ?? 'default';
  return records(record(gateway.spec).listeners)
    .filter(l => !sectionName || str(l.name) === sectionName)
    .map(l => {
      const tls = record(l.tls);
      return {
        gateway,
        name: str(l.name) ?? '',
        protocol: str(l.protocol) ?? '',
        port: num(l.port),
        hostname: str(l.hostname),
        tlsMode:
          str(tls.mode) ?? (Object.keys(tls).length ? 'Terminate' : undefined),
        certificateRefs: records(tls.certificateRefs).map(ref => ({
          namespace: str(ref.namespace) ?? gwNamespace,
          name: str(ref.name) ?? '',
          kind: str(ref.kind) ?? 'Secret',
        })),
      };
    });
}

function exposedRoutes(
  federation: Federation,
  services: ExposedService[],
): ExposedRoute[] {
  const out: ExposedRoute[] = [];
  const indexes = new Set(federation.members.map(m => m.index));
  for (const index of indexes) {
    for (const kind of ROUTE_KINDS) {
      for (const route of index.ofKind(kind)) {
        const namespace = namespaceOf(route) ?? 'default';
        const spec = record(route.spec);
        const refs = records(spec.rules).flatMap(rule =>
          records(rule.backendRefs),
        );
        const matched = refs.flatMap(ref => {
          if ((str(ref.kind) ?? 'Service') !== 'Service') return [];
          const ns = str(ref.namespace) ?? namespace;
          const service = services.find(
            s =>
              s.index === index &&
              s.namespace === ns &&
              s.name === str(ref.name),
          );
          return service ? [service] : [];
        });
        if (matched.length === 0 && !belongsByLabel(route, federation))
          continue;
        const listeners: GatewayListener[] = [];
        const missingGateways: string[] = [];
        for (const parent of records(spec.parentRefs)) {
          if ((str(parent.kind) ?? 'Gateway') !== 'Gateway') continue;
          const gwNs = str(parent.namespace) ?? namespace;
          const gwName = str(parent.name) ?? '';
          const gateway = index.get('Gateway', gwNs, gwName);
          if (!gateway) missingGateways.push(`${gwNs}/${gwName}`);
          else listeners.push(...listenersOf(gateway, str(parent.sectionName)));
        }
        out.push({
          index,
          object: route,
          kind,
          namespace,
          name: route.metadata.name,
          hostnames: strings(spec.hostnames),
          services: [...new Set(matched)],
          listeners,
          missingGateways,
        });
      }
    }
  }
  return out;
}

const exposureCache = new WeakMap<Federation, Exposure>();

export function exposureOf(federation: Federation): Exposure {
  const cached = exposureCache.get(federation);
  if (cached) return cached;
  const services = exposedServices(federation);
  const exposure = {
    services,
    ingresses: exposedIngresses(federation, services),
    routes: exposedRoutes(federation, services),
  };
  exposureCache.set(federation, exposure);
  return exposure;
}

/** True when the Ingress hands the TLS stream to the backend untouched. */
export function isPassthroughIngress(ingress: ExposedIngress): boolean {
  return (
    ingress.annotations['nginx.ingress.kubernetes.io/ssl-passthrough'] ===
    'true'
  );
}

export function backendProtocol(ingress: ExposedIngress): string | undefined {
  return ingress.annotations[
    'nginx.ingress.kubernetes.io/backend-protocol'
  ]?.toUpperCase();
}
