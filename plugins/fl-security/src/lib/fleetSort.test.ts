import type { FleetEntry } from '@fl-security/plugin-fl-security-common';
import { sortFleet } from './fleetSort';

const entry = (entityRef: string, extra: Partial<FleetEntry>): FleetEntry => ({
  entityRef,
  overall: 'unknown',
  ...extra,
});

const fleet: FleetEntry[] = [
  entry('component:default/a', {
    overall: 'compliant',
    summary: { pass: 10, warn: 0, fail: 0, error: 0, skip: 0 },
    generatedAt: '2026-02-01T10:00:00Z',
    soonestExpiry: {
      subject: 'CN=a',
      notAfter: '',
      daysLeft: 80,
      source: 'k/ns/a',
    },
  }),
  entry('component:default/b', {
    overall: 'violations',
    summary: { pass: 2, warn: 1, fail: 4, error: 0, skip: 0 },
    generatedAt: '2026-02-01T11:00:00Z',
    soonestExpiry: {
      subject: 'CN=b',
      notAfter: '',
      daysLeft: 5,
      source: 'k/ns/b',
    },
  }),
  entry('component:default/c', {}),
  entry('component:default/d', {
    overall: 'warnings',
    summary: { pass: 5, warn: 2, fail: 0, error: 1, skip: 0 },
    generatedAt: '2026-02-01T09:00:00Z',
  }),
];

const refs = (entries: FleetEntry[]) => entries.map(e => e.entityRef.slice(-1));

describe('sortFleet', () => {
  it('sorts by status worst first', () => {
    expect(refs(sortFleet(fleet, 'status', 'asc'))).toEqual([
      'b',
      'c',
      'd',
      'a',
    ]);
    expect(refs(sortFleet(fleet, 'status', 'desc'))).toEqual([
      'a',
      'd',
      'c',
      'b',
    ]);
  });

  it('sorts by counts, expiry and scan time with missing values last', () => {
    expect(refs(sortFleet(fleet, 'fail', 'desc'))).toEqual([
      'b',
      'a',
      'd',
      'c',
    ]);
    expect(refs(sortFleet(fleet, 'expiry', 'asc'))).toEqual([
      'b',
      'a',
      'c',
      'd',
    ]);
    expect(refs(sortFleet(fleet, 'expiry', 'desc'))).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(refs(sortFleet(fleet, 'scanned', 'desc'))).toEqual([
      'b',
      'a',
      'd',
      'c',
    ]);
  });

  it('sorts by entity ref and leaves the input untouched', () => {
    const input = [...fleet].reverse();
    expect(refs(sortFleet(input, 'entity', 'asc'))).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(refs(input)).toEqual(['d', 'c', 'b', 'a']);
  });
});
