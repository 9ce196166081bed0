import type { ReportHistoryEntry } from '@fl-security/plugin-fl-security-common';
import { trendPoints } from './trend';

function entry(
  generatedAt: string,
  fail: number,
  pass: number,
): ReportHistoryEntry {
  return {
    generatedAt,
    overall: fail > 0 ? 'violations' : 'compliant',
    summary: { fail, pass, warn: 1, error: 0, skip: 2 },
    errorCount: 0,
  };
}

describe('trendPoints', () => {
  it('turns the newest-first history into points, oldest first', () => {
    const points = trendPoints([
      entry('2026-03-03T00:00:00Z', 0, 80),
      entry('2026-03-02T00:00:00Z', 1, 79),
      entry('2026-03-01T00:00:00Z', 2, 78),
    ]);
    expect(points.map(p => [p.generatedAt, p.fail, p.pass, p.total])).toEqual([
      ['2026-03-01T00:00:00Z', 2, 78, 83],
      ['2026-03-02T00:00:00Z', 1, 79, 83],
      ['2026-03-03T00:00:00Z', 0, 80, 83],
    ]);
  });

  it('keeps the newest scans when the history is longer', () => {
    const history = Array.from({ length: 25 }, (_, i) =>
      entry(`2026-03-${String(25 - i).padStart(2, '0')}T00:00:00Z`, i, 0),
    );
    const points = trendPoints(history, 20);
    expect(points).toHaveLength(20);
    expect(points[19].generatedAt).toBe('2026-03-25T00:00:00Z');
    expect(points[0].generatedAt).toBe('2026-03-06T00:00:00Z');
  });
});
