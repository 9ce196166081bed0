/**
 * Fleet: the fleet route with N FL entities in the real catalog (first
 * page latency, heap while paging through all of them) and a refresh storm
 * against a real API server (in-flight requests vs the cap), in a fresh
 * process with --expose-gc (bench/fleet/worker.ts). Prints JSON (see
 * bench/run.mjs).
 *
 *   --fleet-entities 10000 --storm 50 --cap 4 --runs 15
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { progress, sectionArgs, writeResult } from '../lib/args';

const WORKER = path.join(__dirname, '../fleet/worker.ts');

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

async function main() {
  const args = sectionArgs({ runs: 15 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fl-bench-fleet-'));
  const out = path.join(dir, 'fleet.json');
  const entities = option('--fleet-entities', '10000');
  progress(`fleet: ${entities} FL entities in the catalog`);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--expose-gc',
          '--import',
          'tsx',
          WORKER,
          '--entities',
          entities,
          '--storm',
          option('--storm', '50'),
          '--cap',
          option('--cap', '4'),
          '--runs',
          String(args.runs),
          '--out',
          out,
        ],
        { stdio: ['ignore', 'inherit', 'inherit'] },
      );
      child.on('error', reject);
      child.on('exit', code =>
        code === 0
          ? resolve()
          : reject(new Error(`fleet worker exited with ${code}`)),
      );
    });
    writeResult(args, JSON.parse(fs.readFileSync(out, 'utf8')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
