/**
 * The aggregator's external entry, as its own cluster says it: the addresses
 * and port sites in other clusters dial. Read from the passthrough exposure
 * (Ingress, TLS/TCP route) in front of an aggregator, in the aggregator's
 * cluster only: the generator's `fl-security/external-addresses` and
 * `fl-security/external-port`, the Ingress's status addresses and the parent
 * Gateway's status addresses and listener ports. A site never vouches for
 * the aggregator's address itself.
 */
import {
  EXTERNAL_ADDRESSES_ANNOTATION,
  EXTERNAL_PORT_ANNOTATION,
  MAX_EXTERNAL_ENTRY_ADDRESSES,
} from '@fl-security/plugin-fl-security-common';
import type { KubeObject } from '../types';
import { AddressSet, parseCidrRange } from './addressSet';
import {
  ExposedIngress,
  ExposedRoute,
  ExposedService,
  exposureOf,
  isPassthroughIngress,
} from './exposure';
import type { Federation } from './federation';
import { annotationsOf, record, records, str } from './objects';
import { clusterOfMember } from './siteClusters';

export interface ExternalEntry {
  addresses: AddressSet;
  /** TCP ports sites may dial on those addresses. */
  ports: number[];
  /** Where the addresses were read, for messages. */
  sources: string[];
  /** Entries that are not an address range of an entry (ignored). */
  invalid: string[];
}

interface Collected {
  cidrs: string[];
  ports: Set<number>;
  sources: string[];
  invalid: string[];
}

const fronts = (services: readonly ExposedService[]) =>
  services.some(s => s.targets.some(t => t.role === 'aggregator'));

function fromAnnotations(object: KubeObject, where: string, out: Collected) {
  const annotations = annotationsOf(object);
  const listed = annotations[EXTERNAL_ADDRESSES_ANNOTATION];
  const found: string[] = [];
  for (const entry of (listed ?? '').split(',').map(e => e.trim())) {
    if (!entry) continue;
    const parsed = parseCidrRange(entry);
    // An entry is a load balancer's addresses: a wider range (every address
    // at worst) would let each site reach all of it while NET-05 passes.
    if (!parsed.ok) out.invalid.push(entry);
    else if (parsed.range.last - parsed.range.first >= BigInt(MAX_EXTERNAL_ENTRY_ADDRESSES))
      out.invalid.push(`${entry} (wider than the ${MAX_EXTERNAL_ENTRY_ADDRESSES} addresses of an entry)`);
    else found.push(entry);
  }
  if (found.length) {
    out.cidrs.push(...found);
    out.sources.push(`${EXTERNAL_ADDRESSES_ANNOTATION} of ${where}`);
  }
  const port = annotations[EXTERNAL_PORT_ANNOTATION]?.trim();
  if (port === undefined) return;
  const value = Number(port);
  if (/^\d{1,5}$/.test(port) && value >= 1 && value <= 65535)
    out.ports.add(value);
  else out.invalid.push(`${EXTERNAL_PORT_ANNOTATION}=${port}`);
}

/** status.loadBalancer.ingress[].ip (Ingress), status.addresses[] of type IPAddress (Gateway). */
function statusAddresses(object: KubeObject): string[] {
  const status = record(object.status);
  const lb = records(record(status.loadBalancer).ingress).flatMap(i => {
    const ip = str(i.ip);
    return ip ? [ip] : [];
  });
  const gateway = records(status.addresses).flatMap(a => {
    const type = str(a.type) ?? 'IPAddress';
    const value = str(a.value);
    return type === 'IPAddress' && value ? [value] : [];
  });
  return [...lb, ...gateway].filter(ip => parseCidrRange(ip).ok);
}

function fromStatus(object: KubeObject, where: string, out: Collected) {
  const ips = statusAddresses(object);
  if (ips.length === 0) return;
  out.cidrs.push(...ips);
  out.sources.push(`status of ${where}`);
}

function placeOf(kind: string, namespace: string, name: string, cluster?: string) {
  return `${kind} ${namespace}/${name}${cluster ? ` in cluster ${cluster}` : ''}`;
}

function fromIngress(ingress: ExposedIngress, out: Collected) {
  const place = placeOf('Ingress', ingress.namespace, ingress.name, ingress.index.cluster);
  fromAnnotations(ingress.object, place, out);
  fromStatus(ingress.object, place, out);
  // ingress-nginx passes TLS through on its HTTPS port.
  if (out.ports.size === 0) out.ports.add(443);
}

function fromRoute(route: ExposedRoute, out: Collected) {
  const place = placeOf(route.kind, route.namespace, route.name, route.index.cluster);
  fromAnnotations(route.object, place, out);
  for (const listener of route.listeners) {
    if (listener.tlsMode === 'Terminate') continue;
    if (listener.port !== undefined) out.ports.add(listener.port);
    const gateway = listener.gateway;
    fromStatus(
      gateway,
      placeOf('Gateway', gateway.metadata.namespace ?? 'default', gateway.metadata.name, route.index.cluster),
      out,
    );
  }
}

const cache = new WeakMap<Federation, ExternalEntry>();

/** The external entry of the federation's aggregators (empty when nothing says it). */
export function externalEntryOf(federation: Federation): ExternalEntry {
  const cached = cache.get(federation);
  if (cached) return cached;
  const hubs = new Set(federation.aggregators.map(a => a.index));
  const out: Collected = { cidrs: [], ports: new Set(), sources: [], invalid: [] };
  const exposure = exposureOf(federation);
  for (const ingress of exposure.ingresses) {
    if (hubs.has(ingress.index) && isPassthroughIngress(ingress) && fronts(ingress.services))
      fromIngress(ingress, out);
  }
  for (const route of exposure.routes) {
    const passthrough = route.kind === 'TLSRoute' || route.kind === 'TCPRoute';
    if (hubs.has(route.index) && passthrough && fronts(route.services)) fromRoute(route, out);
  }
  const entry: ExternalEntry = {
    addresses: AddressSet.fromCidrs(out.cidrs).set,
    ports: [...out.ports].sort((a, b) => a - b),
    sources: [...new Set(out.sources)],
    invalid: [...new Set(out.invalid)],
  };
  cache.set(federation, entry);
  return entry;
}

/** The aggregator's cluster, for messages. */
export function aggregatorClusters(federation: Federation): string[] {
  return [
    ...new Set(
      federation.aggregators.flatMap(a => {
        const cluster = clusterOfMember(a);
        return cluster ? [cluster] : [];
      }),
    ),
  ];
}
