import { createApiRef } from '@backstage/frontend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  EntityReportLookup,
  EntityReportResponse,
  FleetResponse,
} from '@fl-security/plugin-fl-security-common';

/** Reads FL security reports from the fl-security backend. */
export interface FlSecurityApi {
  /**
   * The latest report of an entity, or that it has not been scanned yet
   * (for a user who may read but not scan it).
   */
  getEntityReport(entity: CompoundEntityRef): Promise<EntityReportLookup>;
  /** Forces a new scan of the entity's clusters and returns its report. */
  refreshEntityReport(entity: CompoundEntityRef): Promise<EntityReportResponse>;
  /**
   * One page of the FL entities the user may read, by entity name; pass
   * the previous page's `nextCursor` for the next one.
   */
  getFleet(page?: { limit?: number; cursor?: string }): Promise<FleetResponse>;
}

export const flSecurityApiRef = createApiRef<FlSecurityApi>().with({
  id: 'plugin.fl-security.client',
  pluginId: 'fl-security',
});
