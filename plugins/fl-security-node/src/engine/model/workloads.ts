/**
 * Workloads and their pod templates: the unit the rules reason about. A
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or bare Pod
 * becomes one Workload with the labels its pods carry and its pod spec.
 */
import type { KubeObject } from '../types';
import {
  Json,
  annotationsOf,
  labelsOf,
  namespaceOf,
  num,
  record,
  records,
  str,
  stringMap,
  strings,
} from './objects';

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: string;
  hostPort?: number;
}

export interface Container {
  name: string;
  image: string;
  command: readonly string[];
  args: readonly string[];
  ports: ContainerPort[];
  /** True for initContainers and ephemeral containers. */
  init: boolean;
  raw: Json;
}

export interface Workload {
  cluster?: string;
  kind: string;
  name: string;
  namespace: string;
  object: KubeObject;
  /** Labels of the workload object itself. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Labels of the pods it runs (what NetworkPolicies and Services select). */
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  podSpec: Json;
  containers: Container[];
}

const TEMPLATE_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
]);

function templateOf(object: KubeObject): Json | undefined {
  const spec = record(object.spec);
  if (TEMPLATE_KINDS.has(object.kind)) return record(spec.template);
  if (object.kind === 'CronJob') {
    return record(record(record(spec.jobTemplate).spec).template);
  }
  return undefined;
}

function containersOf(podSpec: Json): Container[] {
  const read = (list: unknown, init: boolean): Container[] =>
    records(list).map(raw => ({
      name: str(raw.name) ?? '',
      image: str(raw.image) ?? '',
      command: strings(raw.command),
      args: strings(raw.args),
      ports: records(raw.ports).flatMap(port => {
        const containerPort = num(port.containerPort);
        if (containerPort === undefined) return [];
        return [
          {
            name: str(port.name),
            containerPort,
            protocol: str(port.protocol) ?? 'TCP',
            hostPort: num(port.hostPort),
          },
        ];
      }),
      init,
      raw,
    }));
  return [
    ...read(podSpec.containers, false),
    ...read(podSpec.initContainers, true),
    ...read(podSpec.ephemeralContainers, true),
  ];
}

export function isWorkloadKind(kind: string): boolean {
  return TEMPLATE_KINDS.has(kind) || kind === 'CronJob' || kind === 'Pod';
}

/** The Workload of an object, or undefined when it runs no pods. */
export function toWorkload(
  object: KubeObject,
  cluster?: string,
): Workload | undefined {
  const namespace = namespaceOf(object) ?? 'default';
  const base = {
    cluster,
    kind: object.kind,
    name: str(object.metadata?.name) ?? '',
    namespace,
    object,
    labels: labelsOf(object),
    annotations: annotationsOf(object),
  };
  if (object.kind === 'Pod') {
    const podSpec = record(object.spec);
    return {
      ...base,
      podLabels: base.labels,
      podAnnotations: base.annotations,
      podSpec,
      containers: containersOf(podSpec),
    };
  }
  const template = templateOf(object);
  if (!template) return undefined;
  const metadata = record(template.metadata);
  const podSpec = record(template.spec);
  return {
    ...base,
    podLabels: stringMap(metadata.labels),
    podAnnotations: stringMap(metadata.annotations),
    podSpec,
    containers: containersOf(podSpec),
  };
}

/**
 * True when a Pod is run by a controller that is itself in the snapshot
 * (directly, or a ReplicaSet of a listed Deployment): the template already
 * represents it.
 */
export function isControlledPod(
  pod: KubeObject,
  present: ReadonlySet<string>,
): boolean {
  const namespace = namespaceOf(pod);
  for (const owner of records(pod.metadata?.ownerReferences)) {
    if (owner.controller !== true) continue;
    const kind = str(owner.kind) ?? '';
    const name = str(owner.name) ?? '';
    if (present.has(`${kind}/${namespace}/${name}`)) return true;
    if (kind === 'ReplicaSet') {
      const deployment = name.replace(/-[a-z0-9]+$/, '');
      if (present.has(`Deployment/${namespace}/${deployment}`)) return true;
    }
    if (kind === 'Job') {
      const cronJob = name.replace(/-\d+$/, '');
      if (present.has(`CronJob/${namespace}/${cronJob}`)) return true;
    }
  }
  return false;
}

/** Container port number for a named port (NetworkPolicy and Service targetPort). */
export function resolveNamedPort(
  workload: Workload,
  name: string,
  protocol = 'TCP',
): number | undefined {
  for (const container of workload.containers) {
    for (const port of container.ports) {
      if (port.name === name && port.protocol === protocol)
        return port.containerPort;
    }
  }
  return undefined;
}
