import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ClusterError,
  ComplianceReport,
  summarize,
} from '@fl-security/plugin-fl-security-common';
import { ScanTarget, scanTargetForEntity } from '../entity/scanTarget';
import { ClusterSnapshot } from '../reader/engineTypes';
import { FederationRead, FederationTarget } from '../reader/federationReader';
import { ReportStore } from '../store/ReportStore';
import { containsSecretMaterial } from './secretGuard';

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
    snapshots: ClusterSnapshot[],
  ): Promise<void>;
}

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
 * Concurrent scans of one entity share a single run.
 */
export class ReportService {
  private readonly inFlight = new Map<string, Promise<ComplianceReport>>();
  private readonly now: () => Date;

  constructor(private readonly options: ReportServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  scan(entity: Entity, signal?: AbortSignal): Promise<ComplianceReport> {
    const ref = stringifyEntityRef(entity);
    let running = this.inFlight.get(ref);
    if (!running) {
      running = this.run(entity, ref, signal).finally(() =>
        this.inFlight.delete(ref),
      );
      this.inFlight.set(ref, running);
    }
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
    let report: ComplianceReport;
    try {
      report = this.options.evaluate({
        snapshots: read.snapshots,
        now,
        thresholds: this.options.thresholds,
        federation: target.federation,
      });
    } catch (error) {
      logger.error(`Evaluating ${ref} failed`, error as Error);
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
    if (this.options.exporter) {
      try {
        await this.options.exporter.export(target, report, read.snapshots);
      } catch (error) {
        logger.warn(`PolicyReport export for ${ref} failed`, error as Error);
      }
    }
    return report;
  }
}
