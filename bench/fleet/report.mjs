/**
 * The fleet section's lines of the `yarn bench` table and goals (kept out
 * of run.mjs, which only calls these).
 */
export const FLEET_GOALS = {
  firstPageMs: 300,
  /** Heap still in use after paging through the whole fleet, vs before. */
  heapGrowthBytes: 16 * 1024 * 1024,
};

const ms = value =>
  value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
const mb = bytes => `${(bytes / 1048576).toFixed(1)} MB`;
const count = n => n.toLocaleString('en-US');

export function fleetTable(fleet) {
  if (!fleet) return [];
  const { firstPage, paging, storm } = fleet;
  return [
    '',
    `| fleet route, ${count(fleet.entities)} FL entities | first page (${
      fleet.pageSize
    }) ms | page bytes | whole fleet | heap growth |`,
    '| --- | ---: | ---: | ---: | ---: |',
    `| administrator (ALLOW) | ${ms(
      firstPage.administrator.ms.median,
    )} | ${count(firstPage.administrator.bytes)} | ${count(
      paging.pages,
    )} pages, ${ms(paging.totalMs)} ms (median ${ms(
      paging.pageMsMedian,
    )} ms a page) | ${mb(paging.heapMaxGrowthBytes)} |`,
    `| team member (owns ${count(
      fleet.teamMemberFleet.entities,
    )}; conditional) | ${ms(firstPage.teamMember.ms.median)} | ${count(
      firstPage.teamMember.bytes,
    )} | ${count(fleet.teamMemberFleet.pages)} pages | - |`,
    '',
    '| refresh storm | refreshes / users | API requests | in-flight peak / cap | wall ms | again inside the interval |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| ${storm.maxConcurrentScans} scans at once | ${storm.refreshes} / ${
      storm.users
    } | ${count(storm.apiRequests)} | ${storm.peakInFlight} / ${
      storm.cap
    } | ${ms(storm.wallMs)} | ${storm.repeated.refreshes} × ${Object.keys(
      storm.repeated.statuses,
    ).join('/')}, ${storm.repeated.apiRequests} API requests |`,
  ];
}

export function fleetGoals(fleet) {
  if (!fleet) return [];
  const first = Math.max(
    fleet.firstPage.administrator.ms.median,
    fleet.firstPage.teamMember.ms.median,
  );
  return [
    [
      `fleet first page, ${count(fleet.entities)} entities`,
      `${ms(first)} ms`,
      `< ${FLEET_GOALS.firstPageMs} ms`,
      first < FLEET_GOALS.firstPageMs,
    ],
    [
      'fleet heap growth paging through every entity',
      mb(fleet.paging.heapMaxGrowthBytes),
      `< ${mb(FLEET_GOALS.heapGrowthBytes)}`,
      fleet.paging.heapMaxGrowthBytes < FLEET_GOALS.heapGrowthBytes,
    ],
    [
      'refresh storm in-flight peak',
      String(fleet.storm.peakInFlight),
      `≤ cap ${fleet.storm.cap}`,
      fleet.storm.peakInFlight <= fleet.storm.cap,
    ],
    [
      'refreshes inside the interval',
      `${fleet.storm.repeated.apiRequests} API requests`,
      '0',
      fleet.storm.repeated.apiRequests === 0,
    ],
  ];
}
