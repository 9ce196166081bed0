import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ClusterAccess } from './apply';
import { AuditLog, auditLogSetup } from './audit';
import {
  ADMIN_USER,
  caFromServingChain,
  randomToken,
  RESTRICTED_USER,
  serviceAccountKeyPair,
  TestUser,
  tokenAuthFile,
} from './credentials';
import { CrdSelection, installCrds, loadCrdManifests } from './crds';
import { kubeRequest } from './http';
import { kubeconfigYaml } from './kubeconfig';
import { resolveToolchain } from './paths';
import { freeLoopbackPorts } from './ports';
import {
  logTail,
  ManagedProcess,
  onProcessExit,
  startProcess,
  startWatchdog,
  stopProcess,
  Watchdog,
} from './processes';

export interface TestClusterOptions {
  /** Upstream CRDs to install; false installs none. Default: all, Gateway API standard channel. */
  crds?: CrdSelection | false;
  /** More users besides flsec-admin (system:masters) and flsec-reader (no groups). */
  users?: TestUser[];
  /** Cluster name in the kubeconfigs; default flsec-test */
  name?: string;
  /** For etcd, the API server and CRD installation together; default 120 s */
  startTimeoutMs?: number;
  /** Keep the API server's audit log (level Metadata) as `auditLog`. */
  auditLog?: boolean;
}

export interface TestCluster extends ClusterAccess {
  name: string;
  kubernetesVersion: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** The CA that signed the API server's serving certificate. */
  caPem: string;
  /** Admin kubeconfig (also kubeconfigPaths[ADMIN_USER]). */
  kubeconfigPath: string;
  /** One kubeconfig per user. */
  kubeconfigPaths: Record<string, string>;
  adminToken: string;
  /** Token of flsec-reader: authenticated, no RBAC grants until a test adds some. */
  restrictedToken: string;
  /** Bearer token per user name. */
  tokens: Record<string, string>;
  pids: { etcd: number; kubeApiserver: number };
  /** Names of the installed CRDs. */
  crds: string[];
  /** The audit log, when started with `auditLog: true`. */
  auditLog?: AuditLog;
  /** Kills both process groups and removes the temporary directory; idempotent. */
  stop(): Promise<void>;
}

const SERVICE_CIDR = '10.96.0.0/16';

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function httpStatus(url: string): Promise<number> {
  return new Promise(resolve => {
    const req = http.get(url, { timeout: 2_000 }, res => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Polls check() until true; fails early when the process exits. */
async function waitFor(
  what: string,
  proc: ManagedProcess,
  deadline: number,
  check: () => Promise<boolean>,
): Promise<void> {
  for (;;) {
    if (proc.hasExited()) {
      throw new Error(`${proc.name} exited (${await proc.exited}) before ${what}:\n${logTail(proc.logFile)}`);
    }
    if (await check()) {
      return;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out waiting for ${what}:\n${logTail(proc.logFile)}`);
    }
    await sleep(200);
  }
}

class PortInUse extends Error {}

function throwIfPortInUse(error: unknown, procs: ManagedProcess[]): void {
  if (procs.some(p => /address already in use/.test(logTail(p.logFile, 200)))) {
    throw new PortInUse((error as Error).message);
  }
}

/**
 * Starts etcd and kube-apiserver (built by tools/test-cluster/build.sh) on
 * free loopback ports, installs the selected upstream CRDs and returns
 * credentials. Call stop() in afterAll; an exit hook and a watchdog reap the
 * processes if the test runner dies first.
 */
export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      // Free ports are only probed; another process may win the race.
      if (!(error instanceof PortInUse) || attempt >= 3) {
        throw error;
      }
    }
  }
}

async function startOnce(options: TestClusterOptions): Promise<TestCluster> {
  const toolchain = resolveToolchain();
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  const name = options.name ?? 'flsec-test';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flsec-test-cluster-'));
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  const unregisterDir = onProcessExit(removeDir);
  const procs: ManagedProcess[] = [];
  const watchdog: Watchdog = startWatchdog(dir);
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      watchdog.disarm();
      // API server first: it would otherwise log etcd connection errors.
      for (const proc of [...procs].reverse()) {
        await stopProcess(proc);
      }
      removeDir();
      unregisterDir();
    })();
    return stopped;
  };

  try {
    const users: TestUser[] = [
      { name: ADMIN_USER, groups: ['system:masters'] },
      { name: RESTRICTED_USER },
      ...(options.users ?? []),
    ];
    const tokens = Object.fromEntries(users.map(user => [user.name, randomToken()]));
    const writeSecret = (file: string, content: string) => {
      fs.writeFileSync(path.join(dir, file), content, { mode: 0o600 });
      return path.join(dir, file);
    };
    const tokenFile = writeSecret('tokens.csv', tokenAuthFile(users, tokens));
    const saKeys = serviceAccountKeyPair();
    const saPrivate = writeSecret('sa.key', saKeys.privateKeyPem);
    const saPublic = writeSecret('sa.pub', saKeys.publicKeyPem);
    const [etcdClient, etcdPeer, securePort] = await freeLoopbackPorts(3);
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;

    const etcd = startProcess('etcd', toolchain.etcd, [
      '--name=default',
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
      // Test data is thrown away: durability buys nothing, fsync costs seconds.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ], path.join(dir, 'etcd.log'));
    procs.push(etcd);
    watchdog.watch(etcd.pid);
    await waitFor('etcd health', etcd, deadline, async () => (await httpStatus(`${etcdUrl}/health`)) === 200);

    const certDir = path.join(dir, 'certs');
    const audit = options.auditLog ? auditLogSetup(dir) : undefined;
    const apiserver = startProcess('kube-apiserver', toolchain.kubeApiserver, [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`,
      `--cert-dir=${certDir}`,
      '--authorization-mode=RBAC',
      '--anonymous-auth=false',
      `--token-auth-file=${tokenFile}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${saPublic}`,
      `--service-account-signing-key-file=${saPrivate}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      // No controller-manager creates default ServiceAccounts, so the
      // ServiceAccount admission plugin would reject every Pod.
      '--disable-admission-plugins=ServiceAccount',
      '--allow-privileged=true',
      '--enable-priority-and-fairness=false',
      '--profiling=false',
      ...(audit?.args ?? []),
    ], path.join(dir, 'kube-apiserver.log'));
    procs.push(apiserver);
    watchdog.watch(apiserver.pid);

    const server = `https://127.0.0.1:${securePort}`;
    const servingChain = path.join(certDir, 'apiserver.crt');
    await waitFor('the serving certificate', apiserver, deadline, async () => fs.existsSync(servingChain));
    // The file may be observed half-written: retry until it parses.
    let caPem = '';
    await waitFor('a complete serving certificate', apiserver, deadline, async () => {
      try {
        caPem = caFromServingChain(fs.readFileSync(servingChain, 'utf8'));
        return true;
      } catch {
        return false;
      }
    });
    const access: ClusterAccess = { server, caPem, tokens };
    await waitFor('/readyz', apiserver, deadline, async () => {
      try {
        const ready = await kubeRequest(access, { path: '/readyz', token: tokens[ADMIN_USER], timeoutMs: 5_000 });
        return ready.status === 200;
      } catch {
        return false;
      }
    });

    const kubeconfigPaths = Object.fromEntries(
      users.map(user => [
        user.name,
        writeSecret(
          `kubeconfig-${user.name}.yaml`,
          kubeconfigYaml({ clusterName: name, server, caPem, user: user.name, token: tokens[user.name] }),
        ),
      ]),
    );

    const crds = options.crds === false
      ? []
      : await installCrds(
          access,
          loadCrdManifests(toolchain.crdDir, options.crds ?? {}),
          Math.max(deadline - Date.now(), 1_000),
        );

    return {
      name,
      kubernetesVersion: toolchain.kubernetesVersion,
      server,
      caPem,
      kubeconfigPath: kubeconfigPaths[ADMIN_USER],
      kubeconfigPaths,
      adminToken: tokens[ADMIN_USER],
      restrictedToken: tokens[RESTRICTED_USER],
      tokens,
      pids: { etcd: etcd.pid, kubeApiserver: apiserver.pid },
      crds,
      ...(audit ? { auditLog: audit.log } : {}),
      stop,
    };
  } catch (error) {
    try {
      throwIfPortInUse(error, procs);
    } finally {
      await stop();
    }
    throw error;
  }
}
