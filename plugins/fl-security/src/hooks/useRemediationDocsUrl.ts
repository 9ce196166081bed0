import { useMemo } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/frontend-plugin-api';
import { scmIntegrationsApiRef } from '@backstage/integration-react';
import { remediationDocsUrl } from '../lib/remediationDocs';

/**
 * The entity's deploy/README.md, resolved by the app's SCM integrations
 * (GitHub, GitLab, ... each have their own file URLs) when the app has them.
 */
export function useRemediationDocsUrl(entity: Entity): string | undefined {
  const scm = useApiHolder().get(scmIntegrationsApiRef);
  return useMemo(
    () =>
      remediationDocsUrl(
        entity,
        scm ? (path, base) => scm.resolveUrl({ url: path, base }) : undefined,
      ),
    [entity, scm],
  );
}
