// Test fixture run as a separate Node process by orphans.test.ts: starts a
// cluster, prints its pids and directory, then dies without calling stop(),
// either by exiting (argv "exit") or by waiting to be SIGKILLed.
import path from 'node:path';
import { startTestCluster } from '../cluster';

startTestCluster({ crds: false }).then(
  cluster => {
    const dir = path.dirname(cluster.kubeconfigPath);
    process.stdout.write(`${JSON.stringify({ ...cluster.pids, dir })}\n`);
    if (process.argv[2] === 'exit') {
      process.exit(0);
    }
    setInterval(() => {}, 60_000);
  },
  error => {
    process.stderr.write(`${error}\n`);
    process.exit(1);
  },
);
