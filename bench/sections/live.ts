/**
 * Live scan: starts the local API server (packages/test-cluster), seeds one
 * generated federation per size, then runs bench/live/worker.ts once per
 * size in a fresh process (scan vs bare list calls, engine on the read
 * snapshot), then once more in another fresh process that only scans (peak
 * RSS of the scans, RSS before them). Prints JSON (see bench/run.mjs).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startTestCluster } from '@fl-security/test-cluster';
import { progress, sectionArgs, writeResult } from '../lib/args';
import { seedSizes } from '../live/seed';

const WORKER = path.join(__dirname, '../live/worker.ts');
/** Scans after the warm-up in the memory process. */
const MEMORY_RUNS = 2;

function runWorker(input: unknown, outPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', WORKER, outPath],
      {
        stdio: ['pipe', 'inherit', 'inherit'],
      },
    );
    child.on('error', reject);
    child.on('exit', code =>
      code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`)),
    );
    // The token goes through a pipe, never the command line or a file.
    child.stdin.end(JSON.stringify(input));
  });
}

async function main() {
  const args = sectionArgs({ runs: 0, warmup: 1 });
  // A 1,000-participant scan takes seconds: fewer runs there.
  const runsFor = (n: number) => args.runs || (n >= 1000 ? 5 : 9);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fl-bench-live-'));
  let started = performance.now();
  const cluster = await startTestCluster({ name: 'fl-bench' });
  const startMs = performance.now() - started;
  progress(
    `API server ${cluster.kubernetesVersion} ready in ${(
      startMs / 1000
    ).toFixed(1)} s`,
  );
  try {
    started = performance.now();
    const seeded = await seedSizes(cluster, args.sizes);
    const seedMs = performance.now() - started;
    const rows = [];
    for (const size of seeded.sizes) {
      const runs = runsFor(size.participants);
      progress(
        `live scan ${size.participants} participants (${args.warmup} warm-up, ${runs} runs)`,
      );
      const input = {
        server: cluster.server,
        caPem: cluster.caPem,
        token: size.token,
        entity: size.entity,
        warmup: args.warmup,
      };
      const out = path.join(dir, `worker-${size.participants}.json`);
      await runWorker({ ...input, runs }, out);
      const timed = JSON.parse(fs.readFileSync(out, 'utf8'));
      // Peak RSS in a process that only scans (the timed one also makes
      // the bare lists and runs the engine alone).
      progress(
        `live scan ${size.participants} participants, memory (${args.warmup} warm-up, ${MEMORY_RUNS} runs, scans only)`,
      );
      const memoryOut = path.join(dir, `memory-${size.participants}.json`);
      await runWorker(
        { ...input, runs: MEMORY_RUNS, mode: 'memory' },
        memoryOut,
      );
      const memory = JSON.parse(fs.readFileSync(memoryOut, 'utf8'));
      const { token: _token, entity: _entity, ...seed } = size;
      rows.push({
        ...seed,
        ...timed,
        memory: { ...memory, timedProcess: timed.memory },
      });
    }
    writeResult(args, {
      kubernetesVersion: cluster.kubernetesVersion,
      clusterStartMs: startMs,
      seedMs,
      seed: seeded.times,
      rows,
    });
  } finally {
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
