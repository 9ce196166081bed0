import { createPermission } from '@backstage/plugin-permission-common';

/** Guards reading FL security reports (entity and fleet routes). */
export const flSecurityReportReadPermission = createPermission({
  name: 'fl-security.report.read',
  attributes: { action: 'read' },
});

export const flSecurityPermissions = [flSecurityReportReadPermission];
