/** Which Secret or ConfigMap key a file path inside a container comes from. */
import { records, record, str } from './objects';
import type { Container, Workload } from './workloads';

export type FileSource =
  | {
      kind: 'Secret' | 'ConfigMap';
      namespace: string;
      name: string;
      key: string;
    }
  /** Rendered at run time by the Vault agent injector from a template annotation. */
  | { kind: 'VaultAgent'; file: string; template?: string }
  | { kind: 'unmounted'; reason: string };

const VAULT = 'vault.hashicorp.com/';

/**
 * Files the Vault agent injector writes: `agent-inject-secret-<file>` under
 * the secret volume path (default /vault/secrets), and files a template
 * writes with writeToFile.
 */
function vaultAgentFile(
  workload: Workload,
  path: string,
): FileSource | undefined {
  const annotations = workload.podAnnotations;
  if (annotations[`${VAULT}agent-inject`] !== 'true') return undefined;
  const base = (
    annotations[`${VAULT}secret-volume-path`] ?? '/vault/secrets'
  ).replace(/\/$/, '');
  for (const key of Object.keys(annotations)) {
    if (!key.startsWith(`${VAULT}agent-inject-secret-`)) continue;
    const file = key.slice(`${VAULT}agent-inject-secret-`.length);
    const dir = (
      annotations[`${VAULT}secret-volume-path-${file}`] ?? base
    ).replace(/\/$/, '');
    const template = annotations[`${VAULT}agent-inject-template-${file}`];
    if (path === `${dir}/${file}`)
      return { kind: 'VaultAgent', file, template };
    if (template?.includes(`writeToFile "${path}"`))
      return { kind: 'VaultAgent', file: path, template };
  }
  return undefined;
}

interface KeyItems {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  items: Array<{ key: string; path: string }>;
}

function itemsOf(raw: unknown): Array<{ key: string; path: string }> {
  return records(raw).flatMap(item => {
    const key = str(item.key);
    const path = str(item.path);
    return key && path ? [{ key, path }] : [];
  });
}

function sourcesOfVolume(volume: Record<string, unknown>): KeyItems[] {
  const secret = record(volume.secret);
  const configMap = record(volume.configMap);
  if (str(secret.secretName)) {
    return [
      {
        kind: 'Secret',
        name: str(secret.secretName)!,
        items: itemsOf(secret.items),
      },
    ];
  }
  if (str(configMap.name)) {
    return [
      {
        kind: 'ConfigMap',
        name: str(configMap.name)!,
        items: itemsOf(configMap.items),
      },
    ];
  }
  return records(record(volume.projected).sources).flatMap(
    (source): KeyItems[] => {
      const s = record(source.secret);
      const c = record(source.configMap);
      if (str(s.name))
        return [
          { kind: 'Secret', name: str(s.name)!, items: itemsOf(s.items) },
        ];
      if (str(c.name))
        return [
          { kind: 'ConfigMap', name: str(c.name)!, items: itemsOf(c.items) },
        ];
      return [];
    },
  );
}

/**
 * Resolves a path to the object key it is projected from. For projected
 * volumes without items the first source is assumed (callers check the key).
 */
const resolved = new WeakMap<Container, Map<string, FileSource>>();

export function resolveFile(
  workload: Workload,
  container: Container,
  path: string,
): FileSource {
  let byPath = resolved.get(container);
  if (!byPath) {
    byPath = new Map();
    resolved.set(container, byPath);
  }
  let source = byPath.get(path);
  if (!source) {
    source = resolveUncached(workload, container, path);
    byPath.set(path, source);
  }
  return source;
}

function resolveUncached(
  workload: Workload,
  container: Container,
  path: string,
): FileSource {
  const mounts = records(container.raw.volumeMounts)
    .map(m => ({
      name: str(m.name),
      mountPath: str(m.mountPath),
      subPath: str(m.subPath),
    }))
    .filter(m => m.name && m.mountPath)
    .sort((a, b) => b.mountPath!.length - a.mountPath!.length);
  const mount = mounts.find(
    m =>
      path === m.mountPath ||
      path.startsWith(`${m.mountPath!.replace(/\/$/, '')}/`),
  );
  if (!mount) {
    return (
      vaultAgentFile(workload, path) ?? {
        kind: 'unmounted',
        reason: `${path} is not on a mounted volume`,
      }
    );
  }
  let relative =
    path === mount.mountPath
      ? mount.subPath ?? ''
      : path.slice(mount.mountPath!.replace(/\/$/, '').length + 1);
  if (mount.subPath && path !== mount.mountPath)
    relative = `${mount.subPath}/${relative}`;
  const volume = records(workload.podSpec.volumes).find(
    v => str(v.name) === mount.name,
  );
  if (!volume)
    return { kind: 'unmounted', reason: `volume ${mount.name} is not defined` };
  const sources = sourcesOfVolume(volume);
  if (sources.length === 0) {
    return {
      kind: 'unmounted',
      reason: `volume ${mount.name} is not a Secret or ConfigMap`,
    };
  }
  for (const source of sources) {
    const item = source.items.find(i => i.path === relative);
    if (item)
      return {
        kind: source.kind,
        namespace: workload.namespace,
        name: source.name,
        key: item.key,
      };
  }
  const withoutItems = sources.find(s => s.items.length === 0);
  if (!withoutItems) {
    return {
      kind: 'unmounted',
      reason: `${path} is not projected by volume ${mount.name}`,
    };
  }
  return {
    kind: withoutItems.kind,
    namespace: workload.namespace,
    name: withoutItems.name,
    key: relative,
  };
}

/** Names of all Secrets a workload mounts or reads env from. */
const secretNames = new WeakMap<Workload, Set<string>>();

export function secretNamesOf(workload: Workload): Set<string> {
  const cached = secretNames.get(workload);
  if (cached) return cached;
  const names = new Set<string>();
  secretNames.set(workload, names);
  for (const volume of records(workload.podSpec.volumes)) {
    const direct = str(record(volume.secret).secretName);
    if (direct) names.add(direct);
    for (const source of records(record(volume.projected).sources)) {
      const projected = str(record(source.secret).name);
      if (projected) names.add(projected);
    }
  }
  return names;
}
