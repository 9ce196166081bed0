/** Services selecting workloads, their port mapping, and in-cluster DNS names. */
import type { KubeObject } from '../types';
import type { ClusterIndex } from './clusterIndex';
import { namespaceOf, num, record, records, str, stringMap } from './objects';
import { compileEqualitySelector } from './selectors';
import { Workload, resolveNamedPort } from './workloads';

export interface ServicePort {
  name?: string;
  port: number;
  protocol: string;
  nodePort?: number;
  /** Raw targetPort: number, port name, or undefined (= port). */
  targetPort?: number | string;
}

export interface ServiceInfo {
  object: KubeObject;
  namespace: string;
  name: string;
  type: string;
  ports: ServicePort[];
}

/** IntOrString: a number, a numeric string (as a number), or a port name. */
function intOrString(value: unknown): number | string | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function serviceInfo(object: KubeObject): ServiceInfo {
  const spec = record(object.spec);
  return {
    object,
    namespace: namespaceOf(object) ?? 'default',
    name: object.metadata.name,
    type: str(spec.type) ?? 'ClusterIP',
    ports: records(spec.ports).flatMap(port => {
      const number = num(port.port);
      if (number === undefined) return [];
      return [
        {
          name: str(port.name),
          port: number,
          protocol: str(port.protocol) ?? 'TCP',
          nodePort: num(port.nodePort),
          targetPort: intOrString(port.targetPort),
        },
      ];
    }),
  };
}

/** The container port a Service port reaches on a workload (undefined: unresolved name). */
export function targetPortOn(
  port: ServicePort,
  workload: Workload,
): number | undefined {
  if (port.targetPort === undefined) return port.port;
  if (typeof port.targetPort === 'number') return port.targetPort;
  return resolveNamedPort(workload, port.targetPort, port.protocol);
}

/** Does the Service select the workload's pods? (No selector: manual endpoints, no.) */
export function serviceSelects(
  service: KubeObject,
  workload: Workload,
): boolean {
  if (namespaceOf(service) !== workload.namespace) return false;
  const selector = stringMap(record(service.spec).selector);
  if (Object.keys(selector).length === 0) return false;
  return compileEqualitySelector(selector).matches(workload.podLabels);
}

export function servicesSelecting(
  index: ClusterIndex,
  workload: Workload,
): ServiceInfo[] {
  return index
    .ofKind('Service')
    .filter(service => serviceSelects(service, workload))
    .map(serviceInfo);
}

/** The DNS names clients may use for a Service. */
export function serviceDnsNames(service: ServiceInfo): string[] {
  const base = `${service.name}.${service.namespace}`;
  return [`${base}.svc`, `${base}.svc.cluster.local`];
}

/**
 * The Service a host name designates, seen from a namespace: `svc`,
 * `svc.ns`, `svc.ns.svc`, `svc.ns.svc.<cluster-domain>`.
 */
export function serviceForHost(
  index: ClusterIndex,
  host: string,
  fromNamespace: string,
): KubeObject | undefined {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  if (labels.length === 1)
    return index.get('Service', fromNamespace, labels[0]);
  if (labels.length === 2 || labels[2] === 'svc') {
    return index.get('Service', labels[1], labels[0]);
  }
  return undefined;
}
