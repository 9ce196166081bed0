import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme, type Theme } from '@material-ui/core/styles';
import type { ReportHistoryEntry } from '@fl-security/plugin-fl-security-common';
import { absoluteTime } from '../../lib/time';
import { type TrendPoint, trendPoints } from '../../lib/trend';

const BAR_WIDTH = 8;
const BAR_GAP = 3;
const HEIGHT = 32;
/** A non-zero fail, error or warn count never shrinks out of sight. */
const MIN_SEGMENT = 3;

type Segment = 'fail' | 'error' | 'warn' | 'pass';
const SEGMENTS: readonly Segment[] = ['fail', 'error', 'warn', 'pass'];

function colors(theme: Theme): Record<Segment, string> {
  return {
    fail: theme.palette.error.main,
    error: theme.palette.warning.dark,
    warn: theme.palette.warning.main,
    pass: theme.palette.success.main,
  };
}

/** Segment heights of one bar, top (fail) to bottom (pass). */
export function barSegments(point: TrendPoint): Record<Segment, number> {
  const heights = { fail: 0, error: 0, warn: 0, pass: 0 };
  if (point.total === 0) return heights;
  let left = HEIGHT;
  for (const segment of ['fail', 'error', 'warn'] as const) {
    const count = point[segment];
    if (count === 0) continue;
    const height = Math.min(
      left,
      Math.max(MIN_SEGMENT, Math.round((HEIGHT * count) / point.total)),
    );
    heights[segment] = height;
    left -= height;
  }
  heights.pass = point.pass === 0 ? 0 : left;
  return heights;
}

function scanText(point: TrendPoint): string {
  return `${absoluteTime(point.generatedAt)}: ${point.fail} fail, ${
    point.error
  } error, ${point.warn} warn, ${point.pass} pass`;
}

function delta(now: number, before: number | undefined): string {
  if (before === undefined || now === before) return '';
  return ` (${now > before ? '+' : '−'}${Math.abs(now - before)})`;
}

/** Fail, error, warn and pass per stored scan, oldest left. */
export function HistoryTrend(props: {
  history: readonly ReportHistoryEntry[];
}) {
  const theme = useTheme();
  const points = trendPoints(props.history);
  if (points.length === 0) return null;
  const fill = colors(theme);
  const latest = points[points.length - 1];
  const previous = points.length > 1 ? points[points.length - 2] : undefined;
  const width = points.length * (BAR_WIDTH + BAR_GAP) - BAR_GAP;
  return (
    <Box
      display="flex"
      alignItems="center"
      style={{ gap: 8 }}
      data-testid="fl-security-trend"
    >
      <svg
        width={width}
        height={HEIGHT}
        role="img"
        aria-label={`Results of the last ${points.length} scan${
          points.length === 1 ? '' : 's'
        }`}
      >
        {points.map((point, index) => {
          const heights = barSegments(point);
          let y = 0;
          return (
            <g
              key={`${point.generatedAt}-${index}`}
              data-testid="trend-scan"
              data-generated-at={point.generatedAt}
            >
              <title>{scanText(point)}</title>
              {SEGMENTS.map(segment => {
                const height = heights[segment];
                const rect = (
                  <rect
                    key={segment}
                    data-segment={segment}
                    x={index * (BAR_WIDTH + BAR_GAP)}
                    y={y}
                    width={BAR_WIDTH}
                    height={height}
                    fill={fill[segment]}
                  />
                );
                y += height;
                return height > 0 ? rect : null;
              })}
            </g>
          );
        })}
      </svg>
      <Typography
        variant="caption"
        color="textSecondary"
        data-testid="fl-security-trend-text"
      >
        {points.length} scan{points.length === 1 ? '' : 's'} · fail{' '}
        {latest.fail}
        {delta(latest.fail, previous?.fail)} · warn {latest.warn}
        {delta(latest.warn, previous?.warn)} · pass {latest.pass}
        {delta(latest.pass, previous?.pass)}
      </Typography>
    </Box>
  );
}
