/** File helpers of this package's tests. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Every file under `dir`, as sorted paths relative to it (`/`-separated). */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(entry =>
      entry.isDirectory()
        ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`)
        : Promise.resolve([`${prefix}${entry.name}`]),
    ),
  );
  return nested.flat().sort();
}
