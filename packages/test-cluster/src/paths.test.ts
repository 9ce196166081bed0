import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pinnedKubernetesVersion, resolveToolchain } from './paths';

describe('resolveToolchain', () => {
  const saved = process.env.FLSEC_TEST_CLUSTER_DIR;
  afterEach(() => {
    if (saved === undefined) {
      delete process.env.FLSEC_TEST_CLUSTER_DIR;
    } else {
      process.env.FLSEC_TEST_CLUSTER_DIR = saved;
    }
  });

  it('names the build command when the binaries are missing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'flsec-empty-'));
    try {
      process.env.FLSEC_TEST_CLUSTER_DIR = path.join(empty, 'k8s-v1.36.5');
      expect(() => resolveToolchain()).toThrow(
        /not built .*kube-apiserver.*run tools\/test-cluster\/build\.sh/,
      );
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reads the Kubernetes release pinned in tools/test-cluster/go.mod', () => {
    const root = path.resolve(__dirname, '..', '..', '..');
    expect(pinnedKubernetesVersion(root)).toMatch(/^v1\.(3[4-9]|[4-9]\d)\.\d+$/);
  });
});
