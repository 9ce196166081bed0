import fs from 'node:fs';
import { kubeRequest, startTestClusters, TestCluster } from './index';

// Several real control planes side by side (a cross-silo federation's clusters).
jest.setTimeout(240_000);

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startTestClusters', () => {
  let clusters: TestCluster[] = [];

  beforeAll(async () => {
    clusters = await startTestClusters([
      { name: 'hub', crds: false },
      { name: 'site', crds: false },
    ]);
  });
  afterAll(async () => {
    await Promise.all(clusters.map(c => c.stop()));
  });

  it('starts one API server per entry, in order, each with its own credentials', async () => {
    expect(clusters.map(c => c.name)).toEqual(['hub', 'site']);
    expect(clusters[0].server).not.toBe(clusters[1].server);
    const [hub, site] = clusters;
    const own = await kubeRequest(hub, {
      path: '/api/v1/namespaces',
      token: hub.adminToken,
    });
    expect(own.status).toBe(200);
    // The hub's admin token means nothing to the site's API server.
    const other = await kubeRequest(site, {
      path: '/api/v1/namespaces',
      token: hub.adminToken,
    });
    expect(other.status).toBe(401);
    // What the last case counts: the processes this test started.
    expect(ownControlPlanes()).toEqual(
      expect.arrayContaining(
        clusters.flatMap(c => [c.pids.etcd, c.pids.kubeApiserver]),
      ),
    );
  });

  it('refuses two clusters of one name', async () => {
    await expect(
      startTestClusters([{ name: 'a' }, { name: 'a' }]),
    ).rejects.toThrow(/must differ: a, a/);
  });

  it('stops the clusters that started when another fails', async () => {
    // A start timeout of 1 ms fails that cluster; the other comes up, then is stopped.
    let failure: unknown;
    try {
      await startTestClusters([
        { name: 'ok', crds: false },
        { name: 'too-slow', crds: false, startTimeoutMs: 1 },
      ]);
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).toMatch(/timed out|exited/);
    const running = new Set(
      clusters.flatMap(c => [c.pids.etcd, c.pids.kubeApiserver]),
    );
    expect(
      ownControlPlanes().filter(pid => !running.has(pid) && isRunning(pid)),
    ).toEqual([]);
  });
});

/** Pids of etcd and kube-apiserver processes this test process started (from /proc). */
function ownControlPlanes(): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      // Fields 3 and 4 of stat: state and parent pid (after the name).
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // An exited child not yet reaped (zombie) no longer runs.
      const own = Number(parent) === process.pid && state !== 'Z';
      if (own && ['etcd', 'kube-apiserver'].includes(comm))
        pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}
