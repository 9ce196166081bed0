import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  type EntityReportLookup,
  type EntityReportResponse,
  type FleetResponse,
  entityReportPath,
  fleetPath,
} from '@fl-security/plugin-fl-security-common';
import type { FlSecurityApi } from './FlSecurityApi';

const PLUGIN_ID = 'fl-security';

/** {@link FlSecurityApi} over HTTP, through the app's discovery and fetch APIs. */
export class FlSecurityClient implements FlSecurityApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getEntityReport(entity: CompoundEntityRef): Promise<EntityReportLookup> {
    return this.request(entityReportPath(entity));
  }

  refreshEntityReport(
    entity: CompoundEntityRef,
  ): Promise<EntityReportResponse> {
    return this.request(`${entityReportPath(entity)}/refresh`, {
      method: 'POST',
    });
  }

  getFleet(page?: { limit?: number; cursor?: string }): Promise<FleetResponse> {
    return this.request(fleetPath(page));
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    // Resolved per request: the base URL may change at runtime.
    const baseUrl = await this.discoveryApi.getBaseUrl(PLUGIN_ID);
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
