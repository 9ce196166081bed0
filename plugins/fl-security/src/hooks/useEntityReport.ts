import { useCallback, useEffect, useMemo, useState } from 'react';
import { type Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  type EntityReportResponse,
  isNotScanned,
} from '@fl-security/plugin-fl-security-common';
import { flSecurityApiRef } from '../api/FlSecurityApi';

export type EntityReportState =
  | { status: 'loading' }
  | { status: 'loaded'; response: EntityReportResponse }
  /** Readable, never scanned, and the user may not scan: the schedule will. */
  | { status: 'not-scanned'; message: string }
  | { status: 'failed'; error: unknown };

export interface EntityReport {
  state: EntityReportState;
  /** True while a forced scan runs; the previous report stays visible. */
  refreshing: boolean;
  /** Why the last forced scan failed, if it did. */
  refreshError?: unknown;
  refresh(): Promise<void>;
}

/** Loads the entity's report; `refresh` forces a new scan and replaces it. */
export function useEntityReport(entity: Entity): EntityReport {
  const api = useApi(flSecurityApiRef);
  const entityRef = useMemo(() => getCompoundEntityRef(entity), [entity]);
  const [state, setState] = useState<EntityReportState>({ status: 'loading' });
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<unknown>();

  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    api.getEntityReport(entityRef).then(
      response =>
        current &&
        setState(
          isNotScanned(response)
            ? { status: 'not-scanned', message: response.message }
            : { status: 'loaded', response },
        ),
      error => current && setState({ status: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, [api, entityRef]);

  const refresh = useCallback(async () => {
    setRefreshing(true);
    setRefreshError(undefined);
    try {
      const response = await api.refreshEntityReport(entityRef);
      setState({ status: 'loaded', response });
    } catch (error) {
      setRefreshError(error);
    } finally {
      setRefreshing(false);
    }
  }, [api, entityRef]);

  return { state, refreshing, refreshError, refresh };
}
