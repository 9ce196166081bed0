import {
  ANNOTATION_SOURCE_LOCATION,
  type Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import {
  REMEDIATION_DOCS_PATH,
  ruleDocsAnchor,
} from '@fl-security/plugin-fl-security-common';

/** Resolves a path in a repository against a base URL of that repository. */
export type RepositoryUrlResolver = (path: string, base: string) => string;

const resolveRelative: RepositoryUrlResolver = (path, base) =>
  new URL(path, base).toString();

function isWebUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * The generated project's deploy/README.md in the entity's source repository
 * (annotation backstage.io/source-location, set by the catalog for entities
 * registered from a repository), or undefined when the entity has none. The
 * annotation is the entity author's: only http(s) URLs become links.
 */
export function remediationDocsUrl(
  entity: Entity,
  resolve: RepositoryUrlResolver = resolveRelative,
): string | undefined {
  const annotation = entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
  if (!annotation) return undefined;
  try {
    const { type, target } = parseLocationRef(annotation);
    if (type !== 'url' || !isWebUrl(target)) return undefined;
    const url = new URL(resolve(REMEDIATION_DOCS_PATH, target));
    if (!isWebUrl(url.toString())) return undefined;
    url.hash = '';
    return url.toString();
  } catch {
    return undefined;
  }
}

/** A rule's section in the remediation document. */
export function ruleDocsUrl(docsUrl: string, ruleId: string): string {
  return `${docsUrl}#${ruleDocsAnchor(ruleId)}`;
}
