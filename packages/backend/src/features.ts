/**
 * The portal's backend features: only the core plugins the product needs,
 * plus the FL security plugins. Shared by index.ts and the start-up test.
 */
export const backendFeatures = [
  import('@backstage/plugin-app-backend'),

  // Auth: the guest provider is for local use only (see app-config.yaml).
  import('@backstage/plugin-auth-backend'),
  import('@backstage/plugin-auth-backend-module-guest-provider'),

  // Catalog, with templates as entities.
  import('@backstage/plugin-catalog-backend'),
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),

  // Scaffolder: publish to GitHub or GitLab, and our generator action.
  import('@backstage/plugin-scaffolder-backend'),
  import('@backstage/plugin-scaffolder-backend-module-github'),
  import('@backstage/plugin-scaffolder-backend-module-gitlab'),
  import('@fl-security/plugin-scaffolder-backend-module-fl-security'),

  // Permissions: allow-all locally; replace the policy module in production
  // (FL security: per-entity permissions, see plugins/fl-security-backend
  // README, Permissions).
  import('@backstage/plugin-permission-backend'),
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),

  import('@backstage/plugin-kubernetes-backend'),
  import('@fl-security/plugin-fl-security-backend'),

  // Notifications (the portal's notification list); FL security notifies
  // entity owners of failing federations and expiring certificates.
  import('@backstage/plugin-notifications-backend'),

  // MCP server (/api/mcp-actions/v1) over the actions registry: the actions
  // of backend.actions.pluginSources (app-config.yaml), called with the
  // caller's credentials.
  import('@backstage/plugin-mcp-actions-backend'),
];
