/**
 * For profiling (not part of `yarn bench`): starts the local API server,
 * seeds the bench federations and keeps running until Ctrl-C. Writes, owner-
 * only, one worker input per size to <dir>/input-<n>.json, so a single scan
 * size can be rerun under a profiler:
 *
 *   node --import tsx bench/live/serve.ts /tmp/fl-bench 10,100,1000
 *   node --import tsx --cpu-prof bench/live/worker.ts /tmp/out.json < /tmp/fl-bench/input-1000.json
 */
import fs from 'node:fs';
import path from 'node:path';
import { startTestCluster } from '@fl-security/test-cluster';
import { seedSizes } from './seed';

async function main(dir: string, sizes: number[]) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const cluster = await startTestCluster({ name: 'fl-bench' });
  const stop = async () => {
    await cluster.stop();
    for (const n of sizes)
      fs.rmSync(path.join(dir, `input-${n}.json`), { force: true });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const seeded = await seedSizes(cluster, sizes);
  for (const size of seeded.sizes) {
    const input = {
      server: cluster.server,
      caPem: cluster.caPem,
      token: size.token,
      entity: size.entity,
      runs: 3,
      warmup: 1,
    };
    // Holds a bearer token: owner-only.
    fs.writeFileSync(
      path.join(dir, `input-${size.participants}.json`),
      JSON.stringify(input),
      {
        mode: 0o600,
      },
    );
  }
  process.stderr.write(
    `ready: ${cluster.server}; inputs in ${dir}; Ctrl-C stops\n`,
  );
  setInterval(() => {}, 60_000);
}

main(
  process.argv[2] ?? '/tmp/fl-bench',
  (process.argv[3] ?? '10,100,1000').split(',').map(Number),
).catch(error => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
