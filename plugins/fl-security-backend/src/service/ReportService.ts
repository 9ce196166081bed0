import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ClusterError,
  ComplianceReport,
  summarize,
} from '@fl-security/plugin-fl-security-common';
import { ScanSettings } from '../config/settings';
import { ScanTarget, scanTargetForEntity } from '../entity/scanTarget';
import { ClusterSnapshot } from '../reader/engineTypes';
import { FederationRead, FederationTarget } from '../reader/federationReader';
import { createLimiter, Limiter } from '../reader/limit';
import { ReportStore } from '../store/ReportStore';
import { scopeResults, unreadClusterResults } from './scopeResults';
import { containsSecretMaterial } from './secretGuard';
import { UserWindow } from './userWindow';

/** The engine's `evaluateFederation` (see the engine package's engine/types.ts). */
export type Evaluate = (input: {
  snapshots: ClusterSnapshot[];
  now: Date;
  thresholds?: { expiryWarnDays?: number; expiryFailDays?: number };
  federation: string;
}) => ComplianceReport;

/** Writes a report somewhere else too (PolicyReport export). */
export interface ReportExporter {
  export(
    target: ScanTarget,
    report: ComplianceReport,
    read: Pick<FederationRead, 'snapshots' | 'scope'>,
  ): Promise<void>;
}

/** What became of a request to scan an entity now (refresh). */
export type ScanRequestOutcome =
  | { kind: 'scanned' | 'joined'; report: ComplianceReport }
  | {
      /** interval: the entity was scanned too recently; user: the requester's rate. */
      kind: 'throttled';
      reason: 'interval' | 'user';
      retryAfterSeconds: number;
      message: string;
    }
  | { kind: 'busy'; retryAfterSeconds: number; message: string };

/** Retry-After when every scan slot and the queue are taken. */
const BUSY_RETRY_SECONDS = 10;

/** Defaults that never limit, for callers that only scan on schedule. */
const UNBOUNDED_SCANS: Omit<ScanSettings, 'budget'> = {
  maxConcurrent: Number.MAX_SAFE_INTEGER,
  maxQueued: Number.MAX_SAFE_INTEGER,
  minIntervalMs: 0,
  perUserLimit: Number.MAX_SAFE_INTEGER,
  perUserWindowMs: 1,
};

export interface ReportServiceOptions {
  reader: {
    read(
      target: FederationTarget,
      signal?: AbortSignal,
    ): Promise<FederationRead>;
  };
  evaluate: Evaluate;
  store: ReportStore;
  logger: LoggerService;
  thresholds: { expiryWarnDays: number; expiryFailDays: number };
  exporter?: ReportExporter;
  /** Told of every stored report (notifications); its failures are logged. */
  onStored?: (
    entity: Entity,
    entityRef: string,
    report: ComplianceReport,
  ) => Promise<void>;
  /** Bounds of scans (the budget is the reader's); default unbounded. */
  scans?: Omit<ScanSettings, 'budget'>;
  now?: () => Date;
}

function reportWithoutResults(
  federation: string,
  now: Date,
  errors: ClusterError[],
): ComplianceReport {
  return {
    federation,
    generatedAt: now.toISOString(),
    results: [],
    summary: summarize([]),
    certificates: [],
    reachability: [],
    errors,
  };
}

/** Objects the reader could not read for lack of permission. */
function permissionErrors(snapshots: ClusterSnapshot[]): ClusterError[] {
  return snapshots.flatMap(snapshot =>
    snapshot.gaps
      .filter(gap => gap.status === 'error')
      .map(gap => ({
        cluster: snapshot.cluster ?? '-',
        // Same wording as the engine's, which reports gaps of the clusters
        // where it found members; this covers the others.
        message: `${[gap.kind, gap.namespace, gap.name]
          .filter(Boolean)
          .join(' ')}: ${gap.reason}`,
        ...(gap.missingPermission
          ? { missingPermission: gap.missingPermission }
          : {}),
      })),
  );
}

/** Entity refs are case-insensitive: one scan per entity, whatever the case. */
function key(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

function mergeErrors(
  report: ComplianceReport,
  extra: ClusterError[],
): ComplianceReport {
  const errors = [...report.errors];
  for (const error of extra) {
    const known = errors.some(
      e =>
        e.cluster === error.cluster &&
        (error.missingPermission
          ? e.missingPermission === error.missingPermission
          : e.message === error.message),
    );
    if (!known) errors.push(error);
  }
  return { ...report, errors };
}

/**
 * Scans entities: reads their clusters, evaluates with the engine, checks
 * that no key material got into the report, stores it (and exports it).
 * Concurrent scans of one entity share a single run; at most
 * `scans.maxConcurrent` run at once. On-demand scans also respect the
 * entity's minimum interval, the requester's rate and the queue length.
 */
export class ReportService {
  private readonly inFlight = new Map<string, Promise<ComplianceReport>>();
  private readonly lastStarted = new Map<string, number>();
  private readonly now: () => Date;
  private readonly scans: Omit<ScanSettings, 'budget'>;
  private readonly slots: Limiter;
  private readonly users: UserWindow;
  private waiting = 0;
  private running = 0;

  constructor(private readonly options: ReportServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.scans = options.scans ?? UNBOUNDED_SCANS;
    this.slots = createLimiter(this.scans.maxConcurrent);
    this.users = new UserWindow(
      this.scans.perUserLimit,
      this.scans.perUserWindowMs,
    );
  }

  /** Scans running and waiting for a slot (for the bench and tests). */
  load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting };
  }

  /** A scheduled scan: waits for a slot, or joins the entity's running scan. */
  scan(entity: Entity, signal?: AbortSignal): Promise<ComplianceReport> {
    const ref = stringifyEntityRef(entity);
    return this.inFlight.get(key(ref)) ?? this.start(entity, ref, signal);
  }

  /**
   * An on-demand scan for `requester` (a user entity ref or service
   * subject): joins a running scan of the entity, else refuses when the
   * entity was scanned less than `minInterval` ago, when the requester
   * started too many scans lately, or when the queue is full. A refusal
   * costs no API request.
   */
  async requestScan(
    entity: Entity,
    requester: string,
  ): Promise<ScanRequestOutcome> {
    const ref = stringifyEntityRef(entity);
    const running = this.inFlight.get(key(ref));
    if (running) return { kind: 'joined', report: await running };

    const stored = await this.options.store.latestGeneratedAt(ref);
    const last = Math.max(
      this.lastStarted.get(key(ref)) ?? 0,
      stored ? Date.parse(stored) || 0 : 0,
    );
    const now = this.now().getTime();
    const intervalWait = last + this.scans.minIntervalMs - now;
    if (intervalWait > 0) {
      const seconds = Math.ceil(intervalWait / 1000);
      return {
        kind: 'throttled',
        reason: 'interval',
        retryAfterSeconds: seconds,
        message: `${ref} was scanned ${Math.max(
          Math.floor((now - last) / 1000),
          0,
        )} s ago; scans of one entity are at least ${Math.ceil(
          this.scans.minIntervalMs / 1000,
        )} s apart (flSecurity.scans.minInterval). Try again in ${seconds} s.`,
      };
    }
    // Another request may have started it while the store answered.
    const started = this.inFlight.get(key(ref));
    if (started) return { kind: 'joined', report: await started };

    const userWait = this.users.waitMs(requester, now);
    if (userWait > 0) {
      const seconds = Math.ceil(userWait / 1000);
      return {
        kind: 'throttled',
        reason: 'user',
        retryAfterSeconds: seconds,
        message: `${requester} started ${
          this.scans.perUserLimit
        } scans within ${Math.round(
          this.scans.perUserWindowMs / 1000,
        )} s (flSecurity.scans.perUser). Try again in ${seconds} s.`,
      };
    }
    if (
      this.running >= this.scans.maxConcurrent &&
      this.waiting >= this.scans.maxQueued
    ) {
      return {
        kind: 'busy',
        retryAfterSeconds: BUSY_RETRY_SECONDS,
        message: `${this.running} scans are running and ${this.waiting} waiting (flSecurity.scans.maxConcurrent, maxQueued). Try again in ${BUSY_RETRY_SECONDS} s.`,
      };
    }
    this.users.record(requester, now);
    return { kind: 'scanned', report: await this.start(entity, ref) };
  }

  private start(
    entity: Entity,
    ref: string,
    signal?: AbortSignal,
  ): Promise<ComplianceReport> {
    this.lastStarted.set(key(ref), this.now().getTime());
    this.waiting += 1;
    const running = this.slots(async () => {
      this.waiting -= 1;
      this.running += 1;
      try {
        return await this.run(entity, ref, signal);
      } finally {
        this.running -= 1;
      }
    }).finally(() => this.inFlight.delete(key(ref)));
    this.inFlight.set(key(ref), running);
    return running;
  }

  private async run(
    entity: Entity,
    ref: string,
    signal?: AbortSignal,
  ): Promise<ComplianceReport> {
    const { logger, store } = this.options;
    const now = this.now();
    let target: ScanTarget;
    try {
      target = scanTargetForEntity(entity);
    } catch (error) {
      const report = reportWithoutResults(entity.metadata.name, now, [
        { cluster: '-', message: (error as Error).message },
      ]);
      await store.add(ref, report);
      return report;
    }

    const read = await this.options.reader.read(target, signal);
    if (read.usage) {
      logger.debug(
        `Read ${ref}: ${read.usage.pages} API responses, ${read.usage.objects} objects, ${read.usage.bytes} bytes`,
      );
    }
    let report: ComplianceReport;
    let evaluated = true;
    try {
      report = this.options.evaluate({
        snapshots: read.snapshots,
        now,
        thresholds: this.options.thresholds,
        federation: target.federation,
      });
    } catch (error) {
      logger.error(`Evaluating ${ref} failed`, error as Error);
      evaluated = false;
      report = reportWithoutResults(target.federation, now, [
        {
          cluster: '-',
          message: `the compliance engine failed: ${(error as Error).message}`,
        },
      ]);
    }
    report = mergeErrors(report, [
      ...read.errors,
      ...permissionErrors(read.snapshots),
    ]);
    if (evaluated) {
      // What was and was not read comes first: it frames every other result.
      const results = [
        ...scopeResults(read.scope),
        ...unreadClusterResults(read.errors, target),
        ...report.results,
      ];
      report = { ...report, results, summary: summarize(results) };
    }

    if (containsSecretMaterial(report, read.sensitiveValues)) {
      // Never the report itself in the log: it is what leaked.
      logger.error(
        `Report of ${ref} contained secret material and was withheld`,
      );
      report = reportWithoutResults(target.federation, now, [
        {
          cluster: '-',
          message:
            'report withheld: it contained key material (a defect, please report it)',
        },
      ]);
    }

    await store.add(ref, report);
    if (this.options.onStored) {
      try {
        await this.options.onStored(entity, ref, report);
      } catch (error) {
        logger.warn(`Handling the report of ${ref} failed`, error as Error);
      }
    }
    if (this.options.exporter) {
      try {
        await this.options.exporter.export(target, report, read);
      } catch (error) {
        logger.warn(`PolicyReport export for ${ref} failed`, error as Error);
      }
    }
    return report;
  }
}
