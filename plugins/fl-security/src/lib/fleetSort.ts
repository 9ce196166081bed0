import type { FleetEntry } from '@fl-security/plugin-fl-security-common';
import { OVERALL_RANK } from './status';

export type FleetSortKey =
  | 'entity'
  | 'status'
  | 'fail'
  | 'warn'
  | 'error'
  | 'expiry'
  | 'scanned';

export type SortDirection = 'asc' | 'desc';

/** Missing values (never scanned, no certificate) sort last in both directions. */
type SortValue = string | number | undefined;

function sortValue(entry: FleetEntry, key: FleetSortKey): SortValue {
  switch (key) {
    case 'entity':
      return entry.entityRef;
    case 'status':
      return OVERALL_RANK[entry.overall];
    case 'fail':
    case 'warn':
    case 'error':
      return entry.summary?.[key];
    case 'expiry':
      return entry.soonestExpiry?.daysLeft;
    case 'scanned':
      return entry.generatedAt ? Date.parse(entry.generatedAt) : undefined;
    default:
      return undefined;
  }
}

export function sortFleet(
  entries: readonly FleetEntry[],
  key: FleetSortKey,
  direction: SortDirection,
): FleetEntry[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...entries].sort((a, b) => {
    const va = sortValue(a, key);
    const vb = sortValue(b, key);
    if (va === undefined || vb === undefined) {
      if (va === vb) return a.entityRef.localeCompare(b.entityRef);
      return va === undefined ? 1 : -1;
    }
    const order =
      typeof va === 'number' && typeof vb === 'number'
        ? va - vb
        : String(va).localeCompare(String(vb));
    return sign * order || a.entityRef.localeCompare(b.entityRef);
  });
}
