/**
 * The objects of each cluster bundle, read back from the generated files
 * (`deploy/clusters/<cluster>/**.yaml`, without the kustomizations): what
 * an operator applies to each cluster. Parsed from the files rather than
 * taken from the generator's objects, so a caller sees what was written.
 */
import { parseAllDocuments } from 'yaml';
import { CLUSTERS_DIR } from './clusterBundles';
import type { GeneratedFile } from './layout';
import type { Manifest } from './meta';

const BUNDLE_FILE = new RegExp(`^${CLUSTERS_DIR}/([^/]+)/.+\\.yaml$`);

/** Objects by cluster name, in file order; empty for a single-cluster project. */
export function clusterBundleObjects(
  files: readonly GeneratedFile[],
): Map<string, Manifest[]> {
  const byCluster = new Map<string, Manifest[]>();
  for (const file of files) {
    const match = BUNDLE_FILE.exec(file.path);
    if (!match || file.path.endsWith('/kustomization.yaml')) continue;
    const objects = parseAllDocuments(file.content)
      .map(doc => doc.toJS() as Manifest | null)
      .filter((object): object is Manifest => object !== null);
    const list = byCluster.get(match[1]) ?? [];
    list.push(...objects);
    byCluster.set(match[1], list);
  }
  return byCluster;
}
