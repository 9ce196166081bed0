import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The catalog's resource type (`RESOURCE_TYPE_CATALOG_ENTITY` of
 * @backstage/plugin-catalog-common): FL security permissions are authorized
 * per catalog entity, so policies can use the catalog's conditions
 * (`isEntityOwner`, `hasAnnotation`, ...) through
 * `createCatalogConditionalDecision`.
 */
export const FL_SECURITY_RESOURCE_TYPE = 'catalog-entity';

/**
 * Reading an entity's FL security report (entity route with the entity ref;
 * the fleet route lists only entities this allows).
 */
export const flSecurityReportReadPermission = createPermission({
  name: 'fl-security.report.read',
  attributes: { action: 'read' },
  resourceType: FL_SECURITY_RESOURCE_TYPE,
});

/**
 * Triggering a scan of an entity's clusters (`POST …/refresh`,
 * `?refresh=true`, the first view of an entity never scanned): it reads the
 * clusters, writes history and, with export on, PolicyReports.
 */
export const flSecurityReportRefreshPermission = createPermission({
  name: 'fl-security.report.refresh',
  attributes: { action: 'update' },
  resourceType: FL_SECURITY_RESOURCE_TYPE,
});

export const flSecurityPermissions = [
  flSecurityReportReadPermission,
  flSecurityReportRefreshPermission,
];
