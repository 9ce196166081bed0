export { generateFederationProject, generateFromInput, entityAnnotations, SPEC_FILE } from './generate';
export type { GeneratedProject, GenerateFromInputResult } from './generate';
export type { GeneratedFile } from './layout';
export type { Manifest, ObjectRole } from './meta';
export { flowerProcesses, superlinkProcess, supernodeProcess } from './flower';
export type { FlowerProcess, FlowerProcesses, FlowerParticipantProcess, EnvVar } from './flower';
export {
  superlinkDnsNames,
  superlinkServiceHost,
  SUPERLINK_IP_SANS,
  TLS_DIR,
  NODE_AUTH_DIR,
  CA_FILE,
  CERT_FILE,
  KEY_FILE,
  NODE_AUTH_KEY_FILE,
  NODE_AUTH_SECRET,
  NODE_AUTH_SECRET_KEY,
  SUPERLINK_TLS_SECRET,
  SUPERNODE_TLS_SECRET,
} from './names';
export { writeGeneratedFiles, planWrite, WriteConflictError } from './writeFiles';
export type { WritePlan, WriteOptions } from './writeFiles';
export { toYaml } from './yaml';
export { parseSpecText, MAX_SPEC_BYTES } from './readSpecFile';
export type { SpecTextResult } from './readSpecFile';
export {
  isCrossSilo,
  isRemoteParticipant,
  localParticipants,
  siteClusters,
  superlinkAddress,
} from './clusters';
export { clusterBundleDir, CLUSTERS_DIR } from './clusterBundles';
export { clusterBundleObjects } from './clusterBundleObjects';
export { caBundleName, CA_BUNDLE_KEY } from './trustDistribution';
export { NODE_AUTH_CLAIM, NODE_AUTH_KEYGEN } from './siteKeys';
