import { absoluteTime, relativeTime } from './time';

describe('time', () => {
  const now = new Date('2026-02-01T12:00:00.000Z');

  it('says how long ago a scan ran', () => {
    expect(relativeTime('2026-02-01T11:59:30.000Z', now)).toBe('just now');
    expect(relativeTime('2026-02-01T11:55:00.000Z', now)).toBe('5 minutes ago');
    expect(relativeTime('2026-02-01T09:00:00.000Z', now)).toBe('3 hours ago');
    expect(relativeTime('2026-01-31T12:00:00.000Z', now)).toBe('yesterday');
    expect(relativeTime('not a date', now)).toBe('unknown');
  });

  it('prints UTC timestamps without milliseconds', () => {
    expect(absoluteTime('2026-02-01T11:55:00.123Z')).toBe(
      '2026-02-01 11:55:00 UTC',
    );
    expect(absoluteTime('garbage')).toBe('garbage');
  });
});
