/**
 * Entity tab bench (not a test: bench/run.mjs runs it with its own jest
 * config). The FL Security tab of a federation with 1,000 results, in
 * jsdom, as the portal mounts it: time from the report arriving to the tab
 * showing it, and time of one status-filter change. Median of several
 * runs after a warm-up; JSON to $BENCH_OUT.
 */
import fs from 'node:fs';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { flSecurityEntityContent } from '../../plugins/fl-security/src/alpha/extensions';
import { flSecurityApiRef } from '../../plugins/fl-security/src/api/FlSecurityApi';
import { fakeApi } from '../../plugins/fl-security/src/__testUtils__/fakeApi';
import {
  FL_ENTITY,
  manyResults,
  response,
} from '../../plugins/fl-security/src/__testUtils__/fixtures';

/** Result counts to render; a 1,000-participant federation reports ~17,000. */
const SIZES = (process.env.BENCH_TAB_RESULTS ?? '1000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function renderOnce(count: number) {
  const report = response({ results: manyResults(count) });
  let arrived = 0;
  const api = fakeApi({
    getEntityReport: jest.fn(async () => {
      arrived = performance.now();
      return report;
    }),
  });
  const mounted = performance.now();
  renderTestApp({
    extensions: [
      createTestEntityPage({ entity: FL_ENTITY }),
      flSecurityEntityContent,
    ],
    apis: [[flSecurityApiRef, api]],
  });
  await screen.findByText(`All (${count})`, undefined, {
    timeout: 60_000,
    interval: 5,
  });
  const shown = performance.now();
  const failLabel = screen.getByText(/^Fail \(\d+\)$/);
  const filterStarted = performance.now();
  // fireEvent runs inside act(): the DOM is updated when it returns.
  fireEvent.click(failLabel);
  const filterMs = performance.now() - filterStarted;
  const rows = screen.getAllByTestId('rule-result');
  if (
    rows.length === 0 ||
    rows.some(row => !row.textContent?.includes('Fail'))
  ) {
    throw new Error('the filter did not leave only failing results');
  }
  const shownRows = rows.length;
  cleanup();
  return {
    mountMs: shown - mounted,
    renderMs: shown - arrived,
    filterMs,
    shownRows,
  };
}

it('renders and filters the FL Security tab', async () => {
  const rows = [];
  for (const count of SIZES) {
    const runs = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const run = await renderOnce(count);
      if (i >= WARMUP) runs.push(run);
    }
    rows.push({
      results: count,
      runs: RUNS,
      mountMs: median(runs.map(r => r.mountMs)),
      renderMs: median(runs.map(r => r.renderMs)),
      filterMs: median(runs.map(r => r.filterMs)),
      rowsAfterFilter: runs[0].shownRows,
      all: runs,
    });
  }
  const text = JSON.stringify({ rows }, null, 2);
  if (process.env.BENCH_OUT) fs.writeFileSync(process.env.BENCH_OUT, text);
  else process.stdout.write(`${text}\n`);
}, 600_000);
