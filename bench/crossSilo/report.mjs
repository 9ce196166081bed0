/**
 * The cross-silo section's lines of the `yarn bench` table and checks (kept
 * out of run.mjs, which only calls these). The live section's row of the
 * same participant count, when it ran, is shown beside them.
 */
const ms = value =>
  value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
const count = n => n.toLocaleString('en-US');

function row(label, clusters, r) {
  return `| ${label} | ${count(clusters)} | ${count(r.engine.objects)} | ${ms(
    r.scan.ms.median,
  )} (${ms(r.scan.readMs)} + ${ms(r.scan.evaluateMs)}) | ${ms(
    r.engine.ms.median,
  )} | ${count(r.scan.requests)} | ${count(r.scan.results)} | ${count(
    r.scan.clustersWithResults,
  )} |`;
}

export function crossSiloTable(crossSilo, live) {
  if (!crossSilo) return [];
  const lines = [
    '',
    `Cross-silo, ${count(crossSilo.sites)} site clusters + the aggregator's (${
      crossSilo.simulated
    }), beside ${count(crossSilo.participants)} participants in one cluster:`,
    '',
    '| federation | clusters | snapshot objects | scan ms (read + engine) | engine alone ms | requests | results | clusters with results |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of crossSilo.rows) lines.push(row(r.label, r.clusters, r));
  const same = live?.rows?.find(r => r.participants === crossSilo.participants);
  if (same) {
    lines.push(
      `| single cluster (live section) | 1 | ${count(
        same.engine.objects,
      )} | ${ms(same.scan.ms.median)} (${ms(same.scan.readMs)} + ${ms(
        same.scan.evaluateMs,
      )}) | ${ms(same.engine.ms.median)} | ${count(
        same.scan.requests,
      )} | ${count(same.scan.results)} | 1 |`,
    );
  }
  return lines;
}

/** Not timing goals: whether the scans evaluated every cluster. */
export function crossSiloChecks(crossSilo) {
  if (!crossSilo) return [];
  return crossSilo.rows.map(r => [
    `${r.label} scan: every cluster has results, no errors or failures`,
    `${r.scan.clustersWithResults} of ${r.clusters} clusters, ${r.scan.errors} errors, ${r.scan.notPassing.length} fail/error results`,
    'all clusters, none',
    r.scan.clustersWithResults === r.clusters &&
      r.scan.errors === 0 &&
      r.scan.notPassing.length === 0,
  ]);
}
