import type { ReportHistoryEntry } from '@fl-security/plugin-fl-security-common';

/** One scan of the trend. */
export interface TrendPoint {
  generatedAt: string;
  fail: number;
  error: number;
  warn: number;
  pass: number;
  /** Results of the scan (skips included). */
  total: number;
}

/** Scans shown in the trend at most (the store keeps 20 per entity). */
export const TREND_LENGTH = 20;

/** The stored history (newest first) as trend points, oldest first. */
export function trendPoints(
  history: readonly ReportHistoryEntry[],
  length = TREND_LENGTH,
): TrendPoint[] {
  return history
    .slice(0, length)
    .map(({ generatedAt, summary }) => ({
      generatedAt,
      fail: summary.fail,
      error: summary.error,
      warn: summary.warn,
      pass: summary.pass,
      total:
        summary.fail +
        summary.error +
        summary.warn +
        summary.pass +
        summary.skip,
    }))
    .reverse();
}
