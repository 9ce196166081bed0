/**
 * Reads Kubernetes manifests for the offline checker: files or directories
 * (recursively), YAML multi-document streams and JSON, `List` kinds. Keeps
 * the file and line of every object so findings can point at them. The only
 * module of the checker that touches the file system.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  LineCounter,
  parseAllDocuments,
  isMap,
  isSeq,
  Node as YamlNode,
} from 'yaml';
import { KubeObject, namespaceOf, resourceKey } from '../engine';

export interface SourceLocation {
  file: string;
  /** 1-based. */
  line: number;
  column: number;
}

export interface LoadedManifests {
  objects: KubeObject[];
  /** By resourceKey (no cluster): where each object is written. */
  locations: Map<string, SourceLocation>;
  /** Files read, in order. */
  files: string[];
  /** Documents that are not Kubernetes objects (kustomization, values...). */
  skipped: string[];
}

export class ManifestError extends Error {}

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;
const SKIPPED_FILES = /^kustomization\.ya?ml$/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);
/** Larger files are not manifests a repository should carry. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

async function collectFiles(
  path: string,
  explicit: boolean,
  out: string[],
): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new ManifestError(
      `cannot read ${path}: ${
        (error as NodeJS.ErrnoException).code ?? 'unreadable'
      }`,
    );
  }
  if (info.isDirectory()) {
    const entries = (await readdir(path, { withFileTypes: true })).sort(
      (a, b) => a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      if (
        entry.isDirectory() &&
        (SKIPPED_DIRS.has(entry.name) || entry.name.startsWith('.'))
      )
        continue;
      if (
        entry.isFile() &&
        (!MANIFEST_EXTENSIONS.test(entry.name) ||
          SKIPPED_FILES.test(entry.name))
      )
        continue;
      if (!entry.isDirectory() && !entry.isFile()) continue;
      await collectFiles(join(path, entry.name), false, out);
    }
    return;
  }
  if (!info.isFile())
    throw new ManifestError(`cannot read ${path}: not a file or directory`);
  if (info.size > MAX_FILE_BYTES)
    throw new ManifestError(`${path} is larger than ${MAX_FILE_BYTES} bytes`);
  if (explicit || (MANIFEST_EXTENSIONS.test(path) && !SKIPPED_FILES.test(path)))
    out.push(path);
}

function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return false;
  const object = value as Record<string, unknown>;
  const metadata = object.metadata as Record<string, unknown> | undefined;
  return (
    typeof object.apiVersion === 'string' &&
    typeof object.kind === 'string' &&
    typeof metadata === 'object' &&
    metadata !== null &&
    typeof metadata.name === 'string'
  );
}

function locate(
  file: string,
  node: YamlNode | null | undefined,
  counter: LineCounter,
): SourceLocation {
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = counter.linePos(offset);
  return { file, line, column: col };
}

function addObject(
  result: LoadedManifests,
  object: KubeObject,
  location: SourceLocation,
): void {
  result.objects.push(object);
  const key = resourceKey({
    kind: object.kind,
    namespace: namespaceOf(object),
    name: object.metadata.name,
  });
  if (!result.locations.has(key)) result.locations.set(key, location);
}

function readDocuments(
  file: string,
  text: string,
  result: LoadedManifests,
): void {
  const counter = new LineCounter();
  const documents = parseAllDocuments(text, {
    lineCounter: counter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const list = Array.isArray(documents) ? documents : [documents];
  for (const [index, document] of list.entries()) {
    if (document.errors.length > 0) {
      const error = document.errors[0];
      const { line, col } = counter.linePos(error.pos[0]);
      throw new ManifestError(
        `${file}:${line}:${col}: invalid YAML/JSON: ${
          error.message.split('\n')[0]
        }`,
      );
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      throw new ManifestError(
        `${file}: document ${index + 1} cannot be read: ${
          (error as Error).message.split('\n')[0]
        }`,
      );
    }
    if (value === null || value === undefined) continue;
    const where = `${file} document ${index + 1}`;
    if (!isKubeObject(value)) {
      // `List` objects have no metadata.name; their items are the objects.
      const record = value as Record<string, unknown>;
      if (
        typeof record?.kind === 'string' &&
        record.kind.endsWith('List') &&
        Array.isArray(record.items)
      ) {
        const itemsNode = isMap(document.contents)
          ? document.contents.get('items', true)
          : undefined;
        record.items.forEach((item, i) => {
          const node = isSeq(itemsNode)
            ? (itemsNode.items[i] as YamlNode)
            : undefined;
          if (isKubeObject(item))
            addObject(
              result,
              item,
              locate(file, node ?? document.contents, counter),
            );
          else result.skipped.push(`${where} item ${i + 1}`);
        });
      } else {
        result.skipped.push(where);
      }
      continue;
    }
    if (value.apiVersion.startsWith('kustomize.config.k8s.io/')) {
      result.skipped.push(where);
      continue;
    }
    addObject(result, value, locate(file, document.contents, counter));
  }
}

/**
 * Reads manifests given as text (a YAML stream or JSON), named `source` in
 * messages and locations; throws ManifestError on unreadable input.
 */
export function parseManifests(
  text: string,
  source = 'manifests',
): LoadedManifests {
  const result: LoadedManifests = {
    objects: [],
    locations: new Map(),
    files: [source],
    skipped: [],
  };
  readDocuments(source, text, result);
  return result;
}

/** Loads every manifest under the given paths; throws ManifestError on unreadable input. */
export async function loadManifests(
  paths: readonly string[],
): Promise<LoadedManifests> {
  const files: string[] = [];
  for (const path of paths) await collectFiles(path, true, files);
  const result: LoadedManifests = {
    objects: [],
    locations: new Map(),
    files,
    skipped: [],
  };
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new ManifestError(
        `cannot read ${file}: ${
          (error as NodeJS.ErrnoException).code ?? 'unreadable'
        }`,
      );
    }
    readDocuments(file, text, result);
  }
  return result;
}
