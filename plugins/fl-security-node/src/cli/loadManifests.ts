/**
 * Reads Kubernetes manifests for the offline checker: files or directories
 * (recursively), YAML multi-document streams and JSON, `List` kinds. Keeps
 * the file and line of every object so findings can point at them. The only
 * module of the checker that touches the file system.
 *
 * Directories are listed and files read with bounded concurrency; files are
 * parsed in path order while the next ones are being read, so the result
 * (objects, the first error reported) does not depend on timing.
 */
import fs from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KubeObject, namespaceOf, resourceKey } from '../engine';
import {
  ManifestError,
  ParsedFile,
  SourceLocation,
  parseManifestText,
} from './parseManifestText';

export { ManifestError } from './parseManifestText';
export type { SourceLocation } from './parseManifestText';

export interface LoadedManifests {
  objects: KubeObject[];
  /** By resourceKey (no cluster): where each object is written. */
  locations: Map<string, SourceLocation>;
  /** Files read, in order. */
  files: string[];
  /** Documents that are not Kubernetes objects (kustomization, values...). */
  skipped: string[];
}

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;
const SKIPPED_FILES = /^kustomization\.ya?ml$/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);
/** Larger files are not manifests a repository should carry. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
/**
 * Reads in flight: enough to keep the thread pool busy while the main thread
 * parses, few enough to bound open files and memory.
 */
export const READ_CONCURRENCY = 16;

function cannotRead(path: string, error: unknown): ManifestError {
  return new ManifestError(
    `cannot read ${path}: ${
      (error as NodeJS.ErrnoException).code ?? 'unreadable'
    }`,
  );
}

/** Runs `work` over `items` with at most `limit` at once; results in order. */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from(
    { length: Math.min(limit, items.length) },
    async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]);
      }
    },
  );
  await Promise.all(lanes);
  return results;
}

/**
 * Manifest files under a path given by the user, in sorted order (directory
 * entries by name). A file named explicitly is read whatever its extension.
 */
async function collectFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw cannotRead(path, error);
  }
  if (info.isDirectory()) return collectDirectory(path);
  if (!info.isFile())
    throw new ManifestError(`cannot read ${path}: not a file or directory`);
  return [path];
}

async function collectDirectory(path: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (error) {
    throw cannotRead(path, error);
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const nested = await mapBounded(entries, READ_CONCURRENCY, async entry => {
    const child = join(path, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED_DIRS.has(entry.name) || entry.name.startsWith('.')) return [];
      return collectDirectory(child);
    }
    if (entry.isFile()) {
      if (
        !MANIFEST_EXTENSIONS.test(entry.name) ||
        SKIPPED_FILES.test(entry.name)
      )
        return [];
      return [child];
    }
    // Symbolic links and the like are not followed inside directories.
    return [];
  });
  return nested.flat();
}

/**
 * Reads one file; the size is checked on the open descriptor, before reading.
 * Callback fs calls: FileHandle promises cost about 4× more per file here.
 */
function readManifestFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    fs.open(file, 'r', (openError, fd) => {
      if (openError) {
        reject(cannotRead(file, openError));
        return;
      }
      const finish = (error: Error | null, text?: string) =>
        fs.close(fd, () => (error ? reject(error) : resolve(text!)));
      fs.fstat(fd, (statError, info) => {
        if (statError) finish(cannotRead(file, statError));
        else if (!info.isFile())
          finish(
            new ManifestError(`cannot read ${file}: not a file or directory`),
          );
        else if (info.size > MAX_FILE_BYTES)
          finish(
            new ManifestError(`${file} is larger than ${MAX_FILE_BYTES} bytes`),
          );
        else
          fs.readFile(fd, 'utf8', (readError, text) =>
            finish(readError ? cannotRead(file, readError) : null, text),
          );
      });
    });
  });
}

function addParsed(result: LoadedManifests, parsed: ParsedFile): void {
  for (const { object, location } of parsed.objects) {
    result.objects.push(object);
    const key = resourceKey({
      kind: object.kind,
      namespace: namespaceOf(object),
      name: object.metadata.name,
    });
    if (!result.locations.has(key)) result.locations.set(key, location);
  }
  result.skipped.push(...parsed.skipped);
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
  addParsed(result, parseManifestText(source, text));
  return result;
}

/** Loads every manifest under the given paths; throws ManifestError on unreadable input. */
export async function loadManifests(
  paths: readonly string[],
): Promise<LoadedManifests> {
  const files: string[] = [];
  for (const path of paths) files.push(...(await collectFiles(path)));
  const result: LoadedManifests = {
    objects: [],
    locations: new Map(),
    files,
    skipped: [],
  };
  // A window of reads ahead of the parser; rejections are observed in order.
  const reads = new Array<Promise<string> | undefined>(files.length);
  const startRead = (index: number) => {
    if (index >= files.length) return;
    const read = readManifestFile(files[index]);
    read.catch(() => undefined); // awaited below, in order
    reads[index] = read;
  };
  for (let i = 0; i < READ_CONCURRENCY; i++) startRead(i);
  for (const [index, file] of files.entries()) {
    const text = await reads[index]!;
    reads[index] = undefined;
    startRead(index + READ_CONCURRENCY);
    addParsed(result, parseManifestText(file, text));
  }
  return result;
}
