import { createApiRef } from '@backstage/frontend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  EntityReportResponse,
  FleetResponse,
} from '@fl-security/plugin-fl-security-common';

/** Reads FL security reports from the fl-security backend. */
export interface FlSecurityApi {
  /** The latest report of an entity. */
  getEntityReport(entity: CompoundEntityRef): Promise<EntityReportResponse>;
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
