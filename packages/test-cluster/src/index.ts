/**
 * A real Kubernetes control plane (etcd + kube-apiserver built from their Go
 * modules by tools/test-cluster/build.sh) for integration tests.
 *
 * @packageDocumentation
 */
export { startTestCluster } from './cluster';
export { startTestClusters } from './clusters';
export type { TestCluster, TestClusterOptions } from './cluster';
export type { AuditEvent, AuditLog } from './audit';
export { applyManifests, describeFailures, parseManifests } from './apply';
export { installCrds } from './crds';
export type { ApplyOptions, ApplyResult, ClusterAccess } from './apply';
export type { CrdSelection } from './crds';
export { ADMIN_USER, RESTRICTED_USER } from './credentials';
export type { TestUser } from './credentials';
export { kubeRequest, statusMessage } from './http';
export type { ApiEndpoint, KubeRequest, KubeResponse } from './http';
export { resolveToolchain } from './paths';
export type { ToolchainPaths } from './paths';
export { issueCertificate } from './certificates';
export type { CertificateRequest, IssuedCertificate, KeyAlgorithm } from './certificates';
export { issueCertificates, parseGoDuration } from './certManager';
export type {
  IssueCertificatesOptions,
  IssueCertificatesResult,
  IssuedCertificateInfo,
} from './certManager';
