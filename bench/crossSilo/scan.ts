/**
 * The portal's scan path (ReportService.scan: the FederationReader over
 * @kubernetes/client-node, one connection per cluster, the engine, the
 * secret guard, the SQLite report store), in-process, for several entities
 * against the same server(s), their runs interleaved so each sees the same
 * load; then the engine alone on the snapshots the reader returned.
 */
import { performance } from 'node:perf_hooks';
import { Entity } from '@backstage/catalog-model';
import { ComplianceReport } from '@fl-security/plugin-fl-security-common';
import { evaluateFederation as engineEvaluate } from '@fl-security/plugin-fl-security-node';
import knexFactory from 'knex';
import {
  ClusterSpec,
  connectCluster,
  DEFAULT_SETTINGS,
  evaluateFederation,
  FederationReader,
  KubeConnection,
  ReportService,
  ReportStore,
  scanTargetForEntity,
} from '../live/backend';
import { median, timing } from '../lib/stats';
import { quietLogger } from '../lib/quietLogger';

export interface ScanCase {
  label: string;
  clusters: ClusterSpec[];
  entity: Entity;
}

const CLUSTER_TIMEOUT_MS = 10 * 60_000;

type Read = Awaited<ReturnType<FederationReader['read']>>;

async function scanner(scanCase: ScanCase) {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  const state = {
    requests: 0,
    readMs: 0,
    evaluateMs: 0,
    lastRead: undefined as Read | undefined,
  };
  const connect = async (
    cluster: string,
    source: NonNullable<ClusterSpec['source']>,
  ): Promise<KubeConnection> => {
    const connection = await connectCluster(cluster, source);
    return {
      cluster: connection.cluster,
      close: () => connection.close(),
      request: request => {
        state.requests += 1;
        return connection.request(request);
      },
    };
  };
  const reader = new FederationReader(scanCase.clusters, {
    clusterTimeoutMs: CLUSTER_TIMEOUT_MS,
    concurrency: DEFAULT_SETTINGS.concurrency,
    connect,
  });
  const store = await ReportStore.create(
    { getClient: async () => knex },
    DEFAULT_SETTINGS.historyLimit,
  );
  const service = new ReportService({
    reader: {
      async read(target, signal) {
        const started = performance.now();
        state.lastRead = await reader.read(target, signal);
        state.readMs = performance.now() - started;
        return state.lastRead;
      },
    },
    evaluate: input => {
      const started = performance.now();
      const report = evaluateFederation(input);
      state.evaluateMs = performance.now() - started;
      return report;
    },
    store,
    logger: quietLogger,
    thresholds: DEFAULT_SETTINGS.thresholds,
  });
  return { service, state, knex };
}

/** What a report says per cluster: results, and whether every cluster has some. */
export function perCluster(report: ComplianceReport) {
  const results: Record<string, number> = {};
  for (const result of report.results) {
    const cluster = result.resource.cluster ?? '(none)';
    results[cluster] = (results[cluster] ?? 0) + 1;
  }
  return results;
}

function engineAlone(read: Read, entity: Entity, runs: number, warmup: number) {
  const input = {
    snapshots: read.snapshots,
    now: new Date(),
    thresholds: DEFAULT_SETTINGS.thresholds,
    federation: scanTargetForEntity(entity).federation,
  };
  const ms: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const started = performance.now();
    engineEvaluate(input);
    if (i >= warmup) ms.push(performance.now() - started);
  }
  return {
    ms: timing(ms),
    objects: read.snapshots.reduce((sum, s) => sum + s.objects.length, 0),
  };
}

function summarize(
  scanCase: ScanCase,
  scans: {
    ms: number;
    readMs: number;
    evaluateMs: number;
    requests: number;
    report: ComplianceReport;
  }[],
) {
  const report = scans[scans.length - 1].report;
  const byCluster = perCluster(report);
  return {
    label: scanCase.label,
    clusters: scanCase.clusters.length,
    scan: {
      ms: timing(scans.map(s => s.ms)),
      readMs: median(scans.map(s => s.readMs)),
      evaluateMs: median(scans.map(s => s.evaluateMs)),
      requests: scans[scans.length - 1].requests,
      results: report.results.length,
      errors: report.errors.length,
      clustersWithResults: Object.keys(byCluster).length,
      fewestResultsPerCluster: Math.min(...Object.values(byCluster)),
      notPassing: report.results
        .filter(r => r.status === 'fail' || r.status === 'error')
        .slice(0, 10)
        .map(r => ({
          ruleId: r.ruleId,
          status: r.status,
          cluster: r.resource.cluster,
          message: r.message.slice(0, 200),
        })),
    },
  };
}

export async function measureScans(
  cases: ScanCase[],
  options: { runs: number; warmup: number },
) {
  const scanners = await Promise.all(cases.map(c => scanner(c)));
  try {
    const scans = cases.map(() => [] as Parameters<typeof summarize>[1]);
    for (let i = 0; i < options.warmup + options.runs; i++) {
      // Rotate the order so no case always runs on a warmer server.
      for (let k = 0; k < cases.length; k++) {
        const index = (i + k) % cases.length;
        const { service, state } = scanners[index];
        state.requests = 0;
        const started = performance.now();
        const report = await service.scan(cases[index].entity);
        const ms = performance.now() - started;
        if (i >= options.warmup)
          scans[index].push({
            ms,
            readMs: state.readMs,
            evaluateMs: state.evaluateMs,
            requests: state.requests,
            report,
          });
        process.stderr.write(
          `    ${cases[index].label} ${
            i < options.warmup ? 'warm-up' : `run ${i - options.warmup + 1}`
          }: ${ms.toFixed(0)} ms (read ${state.readMs.toFixed(
            0,
          )}, engine ${state.evaluateMs.toFixed(0)})\n`,
        );
      }
    }
    return cases.map((scanCase, index) => ({
      ...summarize(scanCase, scans[index]),
      engine: engineAlone(
        scanners[index].state.lastRead!,
        scanCase.entity,
        Math.max(options.runs, 5),
        1,
      ),
    }));
  } finally {
    await Promise.all(scanners.map(s => s.knex.destroy()));
  }
}
