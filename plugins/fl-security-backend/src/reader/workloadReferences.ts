import { KubeObject } from './engineTypes';

/**
 * Flower flags naming TLS files (server certificate, key, CA; the
 * participant's trust anchor). The Secrets mounted at those paths are TLS
 * material the engine checks; other mounted Secrets (e.g. node
 * authentication keys) are never read.
 */
const TLS_FILE_FLAGS = [
  '--ssl-certfile',
  '--ssl-keyfile',
  '--ssl-ca-certfile',
  '--root-certificates',
];

const WORKLOAD_KINDS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
]);

export interface WorkloadReferences {
  /** Secrets mounted where a TLS flag points. */
  tlsSecrets: string[];
  /** Every ConfigMap the pods mount or read into env. */
  configMaps: string[];
}

function podSpecOf(workload: KubeObject): any {
  const spec = (workload as any).spec;
  return workload.kind === 'Pod' ? spec : spec?.template?.spec;
}

/** Values of TLS flags in a container's command and args. */
function tlsPaths(container: any): string[] {
  const words: string[] = [];
  for (const part of [
    ...(container.command ?? []),
    ...(container.args ?? []),
  ]) {
    if (typeof part !== 'string') continue;
    // `sh -c "flower-superlink --ssl-certfile ..."` hides flags in one string.
    words.push(...part.split(/\s+/).filter(Boolean));
  }
  const paths: string[] = [];
  words.forEach((word, i) => {
    for (const flag of TLS_FILE_FLAGS) {
      if (word === flag && words[i + 1]) paths.push(words[i + 1]);
      else if (word.startsWith(`${flag}=`))
        paths.push(word.slice(flag.length + 1));
    }
  });
  return paths.map(path => path.replace(/^["']|["']$/g, ''));
}

function secretNamesOfVolume(volume: any): string[] {
  const names: string[] = [];
  if (volume?.secret?.secretName) names.push(volume.secret.secretName);
  for (const source of volume?.projected?.sources ?? []) {
    if (source?.secret?.name) names.push(source.secret.name);
  }
  return names;
}

function configMapNamesOfVolume(volume: any): string[] {
  const names: string[] = [];
  if (volume?.configMap?.name) names.push(volume.configMap.name);
  for (const source of volume?.projected?.sources ?? []) {
    if (source?.configMap?.name) names.push(source.configMap.name);
  }
  return names;
}

/** The Secrets and ConfigMaps a workload's pods use, as far as the engine needs them. */
export function workloadReferences(workload: KubeObject): WorkloadReferences {
  const tlsSecrets = new Set<string>();
  const configMaps = new Set<string>();
  if (!WORKLOAD_KINDS.has(workload.kind)) {
    return { tlsSecrets: [], configMaps: [] };
  }
  const podSpec = podSpecOf(workload);
  const volumes = new Map<string, any>(
    (podSpec?.volumes ?? []).map((v: any) => [v?.name, v]),
  );
  for (const volume of volumes.values()) {
    configMapNamesOfVolume(volume).forEach(name => configMaps.add(name));
  }
  const containers = [
    ...(podSpec?.initContainers ?? []),
    ...(podSpec?.containers ?? []),
  ];
  for (const container of containers) {
    for (const source of container?.envFrom ?? []) {
      if (source?.configMapRef?.name) configMaps.add(source.configMapRef.name);
    }
    for (const env of container?.env ?? []) {
      const ref = env?.valueFrom?.configMapKeyRef;
      if (ref?.name) configMaps.add(ref.name);
    }
    // Longest mount path first: the mount that actually holds the file.
    const mounts = [...(container?.volumeMounts ?? [])].sort(
      (a: any, b: any) =>
        String(b.mountPath).length - String(a.mountPath).length,
    );
    for (const path of tlsPaths(container)) {
      const mount = mounts.find(
        (m: any) =>
          typeof m?.mountPath === 'string' &&
          (path === m.mountPath ||
            path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`)),
      );
      secretNamesOfVolume(volumes.get(mount?.name)).forEach(name =>
        tlsSecrets.add(name),
      );
    }
  }
  return { tlsSecrets: [...tlsSecrets], configMaps: [...configMaps] };
}
