import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where the control-plane binaries and upstream CRDs of one Kubernetes release live. */
export interface ToolchainPaths {
  /** e.g. v1.36.5, from tools/test-cluster/go.mod */
  kubernetesVersion: string;
  dir: string;
  kubeApiserver: string;
  etcd: string;
  crdDir: string;
  /** Issues test certificates (tools/test-cluster/issuecert). */
  issueCert: string;
}

const BUILD_HINT = 'run tools/test-cluster/build.sh (or scripts/ensure-test-cluster.sh)';

function findRepoRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'tools', 'test-cluster', 'go.mod'))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return undefined;
    }
    dir = parent;
  }
}

/** The k8s.io/kubernetes version pinned in tools/test-cluster/go.mod. */
export function pinnedKubernetesVersion(repoRoot: string): string {
  const goMod = fs.readFileSync(
    path.join(repoRoot, 'tools', 'test-cluster', 'go.mod'),
    'utf8',
  );
  const match = /^\s*k8s\.io\/kubernetes\s+(v\d+\.\d+\.\d+)\s*$/m.exec(goMod);
  if (!match) {
    throw new Error('tools/test-cluster/go.mod does not require k8s.io/kubernetes');
  }
  return match[1];
}

function cacheRoot(): string {
  if (process.env.FLSEC_CACHE) {
    return process.env.FLSEC_CACHE;
  }
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'fl-security');
}

/**
 * Locates the binaries built by tools/test-cluster/build.sh (same cache rules:
 * FLSEC_CACHE, else XDG_CACHE_HOME or ~/.cache, then fl-security/k8s-<version>).
 * FLSEC_TEST_CLUSTER_DIR points at a versioned directory directly.
 * Throws with the command to run when something is missing.
 */
export function resolveToolchain(): ToolchainPaths {
  let dir = process.env.FLSEC_TEST_CLUSTER_DIR;
  let kubernetesVersion = dir ? path.basename(dir).replace(/^k8s-/, '') : '';
  if (!dir) {
    // The working directory is inside the repository for tests and scripts;
    // this package's own location covers other callers.
    const packageDir = path.dirname(require.resolve('@fl-security/test-cluster/package.json'));
    const repoRoot = findRepoRoot(process.cwd()) ?? findRepoRoot(packageDir);
    if (!repoRoot) {
      throw new Error(
        `cannot find tools/test-cluster/go.mod above ${process.cwd()} or ${packageDir}; set FLSEC_TEST_CLUSTER_DIR`,
      );
    }
    kubernetesVersion = pinnedKubernetesVersion(repoRoot);
    dir = path.join(cacheRoot(), `k8s-${kubernetesVersion}`);
  }
  const paths: ToolchainPaths = {
    kubernetesVersion,
    dir,
    kubeApiserver: path.join(dir, 'bin', 'kube-apiserver'),
    etcd: path.join(dir, 'bin', 'etcd'),
    crdDir: path.join(dir, 'crds'),
    issueCert: path.join(dir, 'tools', 'flsec-issue-cert'),
  };
  const missing = [paths.kubeApiserver, paths.etcd, paths.issueCert, path.join(paths.crdDir, 'SOURCES')]
    .filter(file => !fs.existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `test cluster binaries are not built (missing ${missing.join(', ')}): ${BUILD_HINT}`,
    );
  }
  return paths;
}
