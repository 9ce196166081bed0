import { Config } from '@backstage/config';

/** `flSecurity.notifications`: who is told what, and whether at all. */
export interface NotificationSettings {
  /** Off unless configured: the portal needs the notifications backend. */
  enabled: boolean;
  /** Passing to failing, and back (default on). */
  federationStatus: boolean;
  /** Certificates crossing the warn or fail threshold, and renewed (default on). */
  certificateExpiry: boolean;
}

export function readNotificationSettings(config: Config): NotificationSettings {
  const own = config.getOptionalConfig('flSecurity.notifications');
  return {
    enabled: own?.getOptionalBoolean('enabled') ?? false,
    federationStatus: own?.getOptionalBoolean('federationStatus') ?? true,
    certificateExpiry: own?.getOptionalBoolean('certificateExpiry') ?? true,
  };
}
