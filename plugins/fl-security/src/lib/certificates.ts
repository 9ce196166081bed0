import type { CertificateInfo } from '@fl-security/plugin-fl-security-common';

/** Matches the engine's default thresholds (warn at 30 days, fail at 14). */
export const EXPIRY_WARN_DAYS = 30;
export const EXPIRY_FAIL_DAYS = 14;

export type ExpiryLevel = 'expired' | 'critical' | 'warning' | 'ok';

/** The certificate that expires first, or undefined when none was read. */
export function soonestExpiry(
  certificates: readonly CertificateInfo[],
): CertificateInfo | undefined {
  let soonest: CertificateInfo | undefined;
  for (const certificate of certificates) {
    if (!soonest || certificate.daysLeft < soonest.daysLeft) {
      soonest = certificate;
    }
  }
  return soonest;
}

export function expiryLevel(daysLeft: number): ExpiryLevel {
  if (daysLeft < 0) return 'expired';
  if (daysLeft < EXPIRY_FAIL_DAYS) return 'critical';
  if (daysLeft < EXPIRY_WARN_DAYS) return 'warning';
  return 'ok';
}

export function daysLeftLabel(daysLeft: number): string {
  if (daysLeft < 0) {
    const ago = -daysLeft;
    return `expired ${ago} day${ago === 1 ? '' : 's'} ago`;
  }
  return `${daysLeft} day${daysLeft === 1 ? '' : 's'} left`;
}
