/**
 * Writes generated files into a directory, all or nothing: every target is
 * checked first. Re-running over our own output is a no-op; a different
 * existing file is a conflict and nothing is written unless `overwrite`.
 */
import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { GeneratedFile } from './layout';

export interface WritePlan {
  /** Files that do not exist yet. */
  created: string[];
  /** Existing files with different content (replaced only with overwrite). */
  changed: string[];
  /** Existing files with identical content: left alone. */
  unchanged: string[];
}

export class WriteConflictError extends Error {
  readonly paths: string[];
  constructor(paths: string[]) {
    super(
      `refusing to overwrite ${paths.length} existing file(s) with different content: ${paths.join(', ')}`,
    );
    this.name = 'WriteConflictError';
    this.paths = paths;
  }
}

/** Rejects absolute paths, "..", and anything resolving outside `root`. */
export function safeTarget(root: string, path: string): string {
  const normalized = posix.normalize(path);
  if (
    isAbsolute(path) ||
    path.includes('\\') ||
    normalized.startsWith('../') ||
    normalized === '..' ||
    normalized !== path
  ) {
    throw new Error(`unsafe output path: ${JSON.stringify(path)}`);
  }
  const target = resolve(root, path);
  const rel = relative(resolve(root), target);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new Error(`unsafe output path: ${JSON.stringify(path)}`);
  }
  return target;
}

async function statOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Refuses to follow symlinks anywhere between root and the target. */
async function assertNoSymlinks(root: string, target: string) {
  const parts = relative(root, target).split(sep);
  let current = root;
  for (const part of parts) {
    current = join(current, part);
    const stat = await statOrUndefined(current);
    if (!stat) return;
    if (stat.isSymbolicLink()) {
      throw new Error(`refusing to write through a symbolic link: ${relative(root, current)}`);
    }
  }
}

export async function planWrite(root: string, files: readonly GeneratedFile[]): Promise<WritePlan> {
  const plan: WritePlan = { created: [], changed: [], unchanged: [] };
  const absoluteRoot = resolve(root);
  for (const file of files) {
    const target = safeTarget(absoluteRoot, file.path);
    await assertNoSymlinks(absoluteRoot, target);
    const stat = await statOrUndefined(target);
    if (!stat) {
      plan.created.push(file.path);
    } else if (!stat.isFile()) {
      throw new Error(`output path exists and is not a file: ${file.path}`);
    } else if ((await readFile(target, 'utf8')) === file.content) {
      plan.unchanged.push(file.path);
    } else {
      plan.changed.push(file.path);
    }
  }
  return plan;
}

export interface WriteOptions {
  overwrite?: boolean;
  /** Plan only; touch nothing. */
  dryRun?: boolean;
}

export async function writeGeneratedFiles(
  root: string,
  files: readonly GeneratedFile[],
  options: WriteOptions = {},
): Promise<WritePlan> {
  const plan = await planWrite(root, files);
  if (plan.changed.length > 0 && !options.overwrite) {
    throw new WriteConflictError(plan.changed);
  }
  if (options.dryRun) return plan;
  const absoluteRoot = resolve(root);
  const toWrite = new Set([...plan.created, ...plan.changed]);
  for (const file of files) {
    if (!toWrite.has(file.path)) continue;
    const target = safeTarget(absoluteRoot, file.path);
    await mkdir(resolve(target, '..'), { recursive: true });
    await writeFile(target, file.content, { encoding: 'utf8', mode: 0o644 });
  }
  return plan;
}
