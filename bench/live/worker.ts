/**
 * One size of the live-scan bench, in its own process (so its peak RSS is
 * the scan's): the backend's scan path in-process (ReportService.scan: the
 * FederationReader over @kubernetes/client-node, the engine, the secret
 * guard, the report store) timed against the bare list calls the scan needs,
 * interleaved so both see the same machine load; then the engine alone on
 * the snapshot the reader returned.
 *
 * Input (stdin, JSON): { server, caPem, token, entity, runs, warmup }.
 * Output: JSON written to the path given as the first argument.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Entity } from '@backstage/catalog-model';
import { ComplianceReport } from '@fl-security/plugin-fl-security-common';
import { evaluateFederation as engineEvaluate } from '@fl-security/plugin-fl-security-node';
import knexFactory from 'knex';
import {
  ClusterSource,
  connectCluster,
  DEFAULT_SETTINGS,
  evaluateFederation,
  FederationReader,
  KubeConnection,
  ReportService,
  ReportStore,
  scanTargetForEntity,
} from './backend';
import { bareLists, ListPlan, servedVersions } from './bareLists';
import { median, timing } from '../lib/stats';
import { quietLogger } from '../lib/quietLogger';

interface WorkerInput {
  server: string;
  caPem: string;
  token: string;
  entity: Entity;
  runs: number;
  warmup: number;
  /**
   * memory: scans only (no bare lists, no engine runs), so the process's
   * peak RSS is the scans'. Absent: the timed scan / bare-list pairs.
   */
  mode?: 'memory';
}

const CLUSTER = 'bench';

/** When the reader's requests of one kind ran, relative to the start of the read. */
interface Phase {
  requests: number;
  firstStartMs: number;
  lastEndMs: number;
}

/** discovery, namespace (get), list, or get (one object by name). */
function requestKind(path: string): string {
  if (/^\/api\/v1\/namespaces\/[^/]+$/.test(path)) return 'namespace gets';
  if (/\/namespaces\/[^/]+\/[^/]+$/.test(path)) return 'lists';
  if (/^\/apis?(\/[^/]+){0,2}$/.test(path) && !path.startsWith('/api/v1/')) {
    return 'discovery';
  }
  return 'gets by name';
}
/** Long enough for any size: the bench measures, the plugin's default (20 s) is discussed in the README. */
const CLUSTER_TIMEOUT_MS = 10 * 60_000;

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', chunk => chunks.push(Buffer.from(chunk)));
    process.stdin.on('end', () =>
      resolve(Buffer.concat(chunks).toString('utf8')),
    );
    process.stdin.on('error', reject);
  });
}

/** process.memoryUsage() at the sample with the highest RSS. */
type MemorySample = ReturnType<typeof process.memoryUsage>;

/** Highest RSS seen while `active`, sampled every 10 ms. */
function rssSampler() {
  let peak: MemorySample | undefined;
  let active = false;
  const sample = () => {
    const now = process.memoryUsage();
    if (!peak || now.rss > peak.rss) peak = now;
  };
  const timer = setInterval(() => {
    if (active) sample();
  }, 10);
  timer.unref();
  return {
    during<T>(work: () => Promise<T>): Promise<T> {
      active = true;
      sample();
      return work().finally(() => {
        sample();
        active = false;
      });
    },
    get peak() {
      return peak?.rss ?? 0;
    },
    get atPeak() {
      return peak;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * The scans alone, in a process that does nothing else: the RSS before the
 * first scan (modules loaded, after a GC) and the highest RSS during them.
 */
async function scansOnly(
  input: WorkerInput,
  scan: () => Promise<ComplianceReport>,
) {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssBeforeScans = process.memoryUsage.rss();
  const rss = rssSampler();
  const perScan: number[] = [];
  for (let i = 0; i < input.warmup + input.runs; i++) {
    const started = performance.now();
    const report = await rss.during(scan);
    if (report.errors.length > 0 || report.results.length === 0)
      throw new Error('the scan did not evaluate cleanly');
    perScan.push(rss.peak);
    process.stderr.write(
      `    memory scan ${i + 1}/${input.warmup + input.runs}: ${(
        performance.now() - started
      ).toFixed(0)} ms, peak RSS so far ${(rss.peak / 1048576).toFixed(
        0,
      )} MB\n`,
    );
  }
  rss.stop();
  // Before the GC below, which needs memory of its own.
  const processMaxRss = process.resourceUsage().maxRSS * 1024;
  gc?.();
  return {
    scans: input.warmup + input.runs,
    rssBeforeScans,
    scanPeakRss: rss.peak,
    peakAfterEachScan: perScan,
    atPeak: rss.atPeak,
    processMaxRss,
    heapAfterScans: gc ? process.memoryUsage().heapUsed : undefined,
  };
}

async function main(outPath: string) {
  const input: WorkerInput = JSON.parse(await readStdin());
  const source: ClusterSource = {
    type: 'serviceAccount',
    url: input.server,
    token: input.token,
    caData: Buffer.from(input.caPem, 'utf8').toString('base64'),
    skipTLSVerify: false,
  };
  const { concurrency } = DEFAULT_SETTINGS;

  // The plugin's scan path, with counters around the reader's requests and
  // timers around its two stages (both are options of ReportService).
  let requests = 0;
  let phases: Record<string, Phase> = {};
  let readStarted = 0;
  const countingConnect = async (cluster: string, s: ClusterSource) => {
    const connection = await connectCluster(cluster, s);
    const counted: KubeConnection = {
      cluster: connection.cluster,
      close: () => connection.close(),
      request: async request => {
        requests += 1;
        const phase = (phases[requestKind(request.path)] ??= {
          requests: 0,
          firstStartMs: performance.now() - readStarted,
          lastEndMs: 0,
        });
        phase.requests += 1;
        try {
          return await connection.request(request);
        } finally {
          phase.lastEndMs = performance.now() - readStarted;
        }
      },
    };
    return counted;
  };
  const reader = new FederationReader([{ name: CLUSTER, source }], {
    clusterTimeoutMs: CLUSTER_TIMEOUT_MS,
    concurrency,
    connect: countingConnect,
  });
  let readMs = 0;
  let evaluateMs = 0;
  let lastRead: Awaited<ReturnType<FederationReader['read']>> | undefined;
  // A database file, as a portal has: in memory, the stored reports
  // (about 9 MB each at 1,000 participants) would count as the scan's RSS.
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fl-bench-store-'));
  process.on('exit', () => fs.rmSync(dbDir, { recursive: true, force: true }));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dbDir, 'reports.sqlite') },
    useNullAsDefault: true,
  });
  const store = await ReportStore.create(
    { getClient: async () => knex },
    DEFAULT_SETTINGS.historyLimit,
  );
  const service = new ReportService({
    reader: {
      async read(target, signal) {
        const started = performance.now();
        readStarted = started;
        phases = {};
        // The previous snapshot is not the scan's: it must not add to its peak.
        lastRead = undefined;
        const read = await reader.read(target, signal);
        readMs = performance.now() - started;
        // Kept for the engine runs after the timed scans; a portal keeps
        // nothing of a read, and neither does the memory process.
        if (input.mode !== 'memory') lastRead = read;
        return read;
      },
    },
    evaluate: engineInput => {
      const started = performance.now();
      const report = evaluateFederation(engineInput);
      evaluateMs = performance.now() - started;
      return report;
    },
    store,
    logger: quietLogger,
    thresholds: DEFAULT_SETTINGS.thresholds,
  });

  const target = scanTargetForEntity(input.entity);
  if (input.mode === 'memory') {
    const result = await scansOnly(input, () => service.scan(input.entity));
    await knex.destroy();
    fs.writeFileSync(outPath, JSON.stringify(result, null, 2));
    return;
  }

  // The bare list calls of the same target, versions resolved beforehand.

  if (!target.namespaces)
    throw new Error('the bench entity names its namespaces');
  const discovery = await connectCluster(CLUSTER, source);
  const plan: ListPlan = {
    namespaces: target.namespaces,
    labelSelector: target.labelSelector,
    versions: await servedVersions(discovery),
  };
  discovery.close();

  const rss = rssSampler();
  const scanOnce = async () => {
    requests = 0;
    const started = performance.now();
    const report: ComplianceReport = await rss.during(() =>
      service.scan(input.entity),
    );
    const ms = performance.now() - started;
    if (report.errors.length > 0 || report.results.length === 0) {
      throw new Error(
        `the scan did not evaluate cleanly: ${JSON.stringify(
          report.errors,
        ).slice(0, 500)}`,
      );
    }
    return { ms, readMs, evaluateMs, requests, report, phases };
  };
  const bareOnce = async () => {
    const started = performance.now();
    const result = await bareLists(CLUSTER, source, plan, concurrency);
    return { ms: performance.now() - started, ...result };
  };

  const rssBefore = process.memoryUsage.rss();
  for (let i = 0; i < input.warmup; i++) {
    await scanOnce();
    await bareOnce();
  }
  const scans: Awaited<ReturnType<typeof scanOnce>>[] = [];
  const bares: Awaited<ReturnType<typeof bareOnce>>[] = [];
  for (let i = 0; i < input.runs; i++) {
    // Alternate the order so neither side always runs on a warmer server.
    if (i % 2 === 0) {
      scans.push(await scanOnce());
      bares.push(await bareOnce());
    } else {
      bares.push(await bareOnce());
      scans.push(await scanOnce());
    }
    process.stderr.write(
      `    run ${i + 1}/${input.runs}: scan ${scans[i].ms.toFixed(
        0,
      )} ms (read ${scans[i].readMs.toFixed(0)}, engine ${scans[
        i
      ].evaluateMs.toFixed(0)}), bare lists ${bares[i].ms.toFixed(0)} ms\n`,
    );
  }
  const scanPeakRss = rss.peak;
  rss.stop();
  const scanMaxRss = process.resourceUsage().maxRSS * 1024;
  // What stays reachable after the scans (last snapshot, stored reports),
  // when the worker runs with --expose-gc: most of the peak is garbage.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapAfterScans = gc ? process.memoryUsage().heapUsed : undefined;

  // The engine alone on the snapshot the reader returned.
  const snapshots = lastRead!.snapshots;
  const engineInput = {
    snapshots,
    now: new Date(),
    thresholds: DEFAULT_SETTINGS.thresholds,
    federation: target.federation,
  };
  const engineRuns: number[] = [];
  for (let i = 0; i < input.warmup + Math.max(input.runs, 5); i++) {
    const started = performance.now();
    engineEvaluate(engineInput);
    if (i >= input.warmup) engineRuns.push(performance.now() - started);
  }
  const kinds: Record<string, number> = {};
  for (const object of snapshots.flatMap(s => s.objects)) {
    kinds[object.kind] = (kinds[object.kind] ?? 0) + 1;
  }
  const report = scans[scans.length - 1].report;
  const scanMs = timing(scans.map(s => s.ms));
  const bareMs = timing(bares.map(b => b.ms));

  const result = {
    scan: {
      ms: scanMs,
      readMs: median(scans.map(s => s.readMs)),
      evaluateMs: median(scans.map(s => s.evaluateMs)),
      requests: scans[scans.length - 1].requests,
      phases: scans[scans.length - 1].phases,
      results: report.results.length,
      summary: report.summary,
      certificates: report.certificates.length,
      // A clean federation should pass: anything else is shown, not hidden.
      notPassing: report.results
        .filter(
          r =>
            r.status === 'fail' || r.status === 'warn' || r.status === 'error',
        )
        .slice(0, 10)
        .map(r => ({
          ruleId: r.ruleId,
          status: r.status,
          resource: r.resource,
          message: r.message.slice(0, 300),
        })),
    },
    bareLists: {
      ms: bareMs,
      requests: bares[bares.length - 1].requests,
      items: bares[bares.length - 1].items,
    },
    // Per run, then the median: each pair saw the same load.
    ratio: median(scans.map((s, i) => s.ms / bares[i].ms)),
    engine: {
      ms: timing(engineRuns),
      objects: snapshots.reduce((sum, s) => sum + s.objects.length, 0),
      kinds,
    },
    memory: {
      rssBeforeScans: rssBefore,
      scanPeakRss,
      processMaxRss: scanMaxRss,
      heapAfterScans,
    },
    concurrency,
  };
  await knex.destroy();
  fs.writeFileSync(outPath, JSON.stringify(result, null, 2));
}

main(process.argv[2]).catch(error => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
