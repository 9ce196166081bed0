import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

// A test runner can die without running afterAll; the cluster's processes
// and files must not outlive it. Each case starts a small cluster (no CRDs)
// in a child Node process and lets that process die.
jest.setTimeout(120_000);

interface Started {
  etcd: number;
  kubeApiserver: number;
  dir: string;
}

function startChild(mode: 'exit' | 'wait') {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      path.join(__dirname, '__testUtils__', 'orphanChild.ts'),
      mode,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', chunk => (stderr += chunk));
  const started = new Promise<Started>((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', line => resolve(JSON.parse(line)));
    child.once('exit', code => reject(new Error(`child exited with ${code}: ${stderr}`)));
  });
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  return { child, started, exited };
}

/**
 * Running or stopped, but not a zombie: the orphaned servers are reparented
 * to PID 1, which may reap them a little later.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitGone(started: Started): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (
    (alive(started.etcd) || alive(started.kubeApiserver) || fs.existsSync(started.dir)) &&
    Date.now() < deadline
  ) {
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

describe('a test process that dies without stop()', () => {
  it('has its servers killed and directory removed on a normal exit', async () => {
    const { started, exited } = startChild('exit');
    const info = await started;
    await exited;
    await waitGone(info);
    expect(alive(info.etcd)).toBe(false);
    expect(alive(info.kubeApiserver)).toBe(false);
    expect(fs.existsSync(info.dir)).toBe(false);
  });

  it('has its servers killed and directory removed by the watchdog when SIGKILLed', async () => {
    const { child, started, exited } = startChild('wait');
    const info = await started;
    expect(alive(info.etcd)).toBe(true);
    expect(alive(info.kubeApiserver)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    await waitGone(info);
    expect(alive(info.etcd)).toBe(false);
    expect(alive(info.kubeApiserver)).toBe(false);
    expect(fs.existsSync(info.dir)).toBe(false);
  });
});
